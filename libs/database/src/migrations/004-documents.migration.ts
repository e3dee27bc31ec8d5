import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// Documents that decisions rest on. `documents` holds what was uploaded for which city, by whom and
// when (one row per city and content); `document_contents` holds the bytes, one row per SHA-256,
// when the deployment keeps them in its database rather than in files (see DocumentSettings).

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('documents', (t) => {
    t.increments('id');
    t.string('city_id').notNullable();
    t.string('sha256', 64).notNullable();
    t.text('name').notNullable();
    t.string('content_type', 128).notNullable();
    t.bigInteger('size').notNullable();
    t.string('uploaded_by_id').notNullable();
    t.string('uploaded_by_role', 32).notNullable();
    t.string('uploaded_by_organisation').notNullable();
    t.string('uploaded_by_name');
    t.timestamp('uploaded_at', { useTz: true }).notNullable();
    t.unique(['city_id', 'sha256']);
    t.index(['sha256']);
  });
  await knex.schema.createTable('document_contents', (t) => {
    t.string('sha256', 64).primary();
    t.binary('content').notNullable();
    t.bigInteger('size').notNullable();
    t.timestamp('stored_at', { useTz: true }).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('document_contents');
  await knex.schema.dropTable('documents');
}

export const documents: KudakMigration = { name: '004-documents', up, down };
