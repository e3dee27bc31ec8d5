import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// The audit log: timeline entries derived from Temporal's histories, appended in order, each row
// hash-chained to the one before it (per candidacy). Dossier reads are logged beside it.

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('candidacy_id').notNullable();
    t.integer('position').notNullable();
    t.string('workflow_id').notNullable();
    t.string('run_id').notNullable();
    t.integer('event_id').notNullable();
    t.text('entry').notNullable();
    t.string('prev_hash', 64).notNullable();
    t.string('hash', 64).notNullable();
    t.timestamp('appended_at', { useTz: true }).notNullable();
    t.unique(['candidacy_id', 'position']);
    t.unique(['candidacy_id', 'workflow_id', 'run_id', 'event_id']);
  });
  await knex.schema.createTable('audit_reads', (t) => {
    t.increments('id');
    t.string('candidacy_id').notNullable();
    t.string('what', 32).notNullable();
    t.string('reader_id').notNullable();
    t.string('reader_role', 32).notNullable();
    t.string('reader_organisation').notNullable();
    t.string('sha256', 64);
    t.timestamp('read_at', { useTz: true }).notNullable();
    t.index(['candidacy_id', 'read_at']);
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_reads');
  await knex.schema.dropTable('audit_log');
}

export const auditLog: KudakMigration = { name: '002-audit-log', up, down };
