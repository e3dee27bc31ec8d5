import type { Knex } from 'knex';
import { retryWhileBusy } from './busy-retry';

/** Arbitrary, fixed key of the PostgreSQL advisory lock that serialises Kudak's migrations. */
const PG_MIGRATION_LOCK = 4_242_031_337;

/** How long a SQLite migration keeps trying while another process holds the database's write lock. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

export interface MigrationOutcome {
  batch: number;
  /** Names of the migrations this call applied (empty when the schema was already current). */
  applied: string[];
}

/**
 * Brings the schema to the latest migration. Safe when several processes (workers, API replicas,
 * `npm run db:migrate`) start at once: Knex's own lock table is created and taken without a lock of
 * its own, so the whole run happens in one transaction that first takes a database-wide lock
 * (an advisory lock on PostgreSQL, the write lock on SQLite); the others wait, then find nothing to do.
 */
export async function migrateToLatest(knex: Knex): Promise<MigrationOutcome> {
  // SQLite refuses, without waiting, a transaction that read the schema and then wants to write
  // after another process committed (SQLITE_BUSY_SNAPSHOT), and a connection without a busy timeout
  // (the worker's) refuses any lock another process holds: the whole run is simply tried again,
  // waiting asynchronously, for as long as a slow migration of another process may take.
  return retryWhileBusy(() => migrateOnce(knex), MIGRATION_LOCK_WAIT_MS);
}

async function migrateOnce(knex: Knex): Promise<MigrationOutcome> {
  const [batch, applied] = (await knex.transaction(async (trx) => {
    if (knex.client.config.client === 'pg') {
      await trx.raw('select pg_advisory_xact_lock(?)', [PG_MIGRATION_LOCK]);
    } else {
      // A write as the first statement takes SQLite's write lock now (a plain BEGIN is deferred).
      await trx.raw('create table if not exists kudak_migration_guard (id integer primary key, at text)');
      await trx.raw("insert or replace into kudak_migration_guard (id, at) values (1, datetime('now'))");
    }
    return trx.migrate.latest();
  })) as [number, string[]];
  return { batch, applied };
}
