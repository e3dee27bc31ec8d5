import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// Every row written by an activity carries the activity's idempotency key (workflow id / run id /
// activity id), unique, so a retried activity writes once. Instants are timestamptz on PostgreSQL
// and ISO-8601 text on SQLite; JSON documents are text on both.

async function up(knex: Knex): Promise<void> {
  const instant = (t: Knex.CreateTableBuilder, name: string) => t.timestamp(name, { useTz: true });

  await knex.schema.createTable('decisions', (t) => {
    t.increments('id');
    t.text('key').notNullable().unique();
    t.string('workflow_id').notNullable();
    t.string('city_id').notNullable();
    t.string('decision_id').notNullable();
    t.string('kind', 64).notNullable();
    t.string('stage', 32).notNullable();
    t.string('actor_id').notNullable();
    t.string('actor_role', 32).notNullable();
    t.string('actor_organisation').notNullable();
    t.string('actor_name');
    t.text('reason');
    instant(t, 'decided_at').notNullable();
    t.text('details');
    instant(t, 'recorded_at').notNullable();
    t.index(['city_id', 'decided_at']);
    t.index(['workflow_id']);
  });

  await knex.schema.createTable('evaluations', (t) => {
    t.increments('id');
    t.text('key').notNullable().unique();
    t.string('workflow_id').notNullable();
    t.string('city_id').notNullable();
    t.string('evaluation_id').notNullable();
    t.string('kind', 32).notNullable();
    t.integer('sequence').notNullable();
    t.text('scores').notNullable();
    t.boolean('satisfactory').notNullable();
    t.string('evaluated_by_id').notNullable();
    t.string('evaluated_by_role', 32).notNullable();
    t.string('evaluated_by_organisation').notNullable();
    t.string('evaluated_by_name');
    t.text('reason');
    instant(t, 'evaluated_at').notNullable();
    instant(t, 'recorded_at').notNullable();
    t.index(['city_id', 'evaluated_at']);
    t.index(['workflow_id']);
  });

  await knex.schema.createTable('awards', (t) => {
    t.increments('id');
    t.text('key').notNullable().unique();
    t.string('workflow_id').notNullable();
    t.string('city_id').notNullable();
    t.string('kind', 32).notNullable();
    t.integer('cycle').notNullable();
    instant(t, 'awarded_at').notNullable();
    instant(t, 'expires_at');
    t.string('actor_id').notNullable();
    t.string('actor_role', 32).notNullable();
    t.string('actor_organisation').notNullable();
    t.string('actor_name');
    instant(t, 'recorded_at').notNullable();
    t.index(['city_id', 'awarded_at']);
    t.index(['workflow_id']);
  });

  // The in-app inbox: one row per recipient of a notification.
  await knex.schema.createTable('notifications', (t) => {
    t.increments('id');
    t.text('key').notNullable();
    t.string('recipient_id').notNullable();
    t.string('recipient_role', 32).notNullable();
    t.string('workflow_id').notNullable();
    t.string('city_id').notNullable();
    t.string('template', 64).notNullable();
    t.string('locale', 8).notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    instant(t, 'created_at').notNullable();
    instant(t, 'read_at');
    t.unique(['key', 'recipient_id']);
    t.index(['recipient_id', 'created_at']);
  });

  // One row per e-mail: claimed ('sending') before the SMTP call, 'sent' after it, so a retry
  // of the activity never sends a message twice.
  await knex.schema.createTable('email_outbox', (t) => {
    t.increments('id');
    t.text('key').notNullable();
    t.string('recipient_id').notNullable();
    t.string('email').notNullable();
    t.string('message_id').notNullable();
    t.enu('status', ['sending', 'sent']).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    instant(t, 'created_at').notNullable();
    instant(t, 'sent_at');
    t.unique(['key', 'recipient_id']);
  });
}

async function down(knex: Knex): Promise<void> {
  for (const table of ['email_outbox', 'notifications', 'awards', 'evaluations', 'decisions']) {
    await knex.schema.dropTableIfExists(table);
  }
}

export const initialSchema: KudakMigration = { name: '001-initial-schema', up, down };
