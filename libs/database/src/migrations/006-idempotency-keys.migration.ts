import type { Knex } from 'knex';
import type { KudakMigration } from './kudak-migration';

// Each Idempotency-Key the API has seen (as a digest of the caller, the action and the key) with
// the SHA-256 of the request it came with: a repeat with another request is refused.

async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('id', 64).primary();
    t.string('request_sha256', 64).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
  });
}

async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}

export const idempotencyKeys: KudakMigration = { name: '006-idempotency-keys', up, down };
