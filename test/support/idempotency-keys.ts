import type { Knex } from 'knex';
import { createKnex, IdempotencyKeysRepository, migrateToLatest } from '@kudak/database';
import { IdempotencyKeys } from '../../apps/api/common/idempotency-key';

/**
 * The API's Idempotency-Key binding on a real, migrated, in-memory SQLite database, new for each
 * test of the calling `describe`: call the returned function inside a test.
 */
export function inMemoryIdempotencyKeysPerTest(): () => IdempotencyKeys {
  let knex: Knex | undefined;
  let keys: IdempotencyKeys | undefined;
  beforeEach(async () => {
    knex = createKnex({ client: 'better-sqlite3', connection: ':memory:' });
    await migrateToLatest(knex);
    keys = new IdempotencyKeys(new IdempotencyKeysRepository(knex));
  });
  afterEach(async () => {
    await knex?.destroy();
  });
  return () => {
    if (!keys) throw new Error('inMemoryIdempotencyKeysPerTest: call it inside a test');
    return keys;
  };
}
