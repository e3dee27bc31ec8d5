import * as fs from 'node:fs';
import * as path from 'node:path';
import { Logger } from '@nestjs/common';
import knex, { type Knex } from 'knex';
import type { DatabaseSettings } from '@kudak/config';
import { KudakMigrationSource } from './migrations';

/** How a process's SQLite connection treats a lock another process holds. */
export interface SqliteLockWait {
  /**
   * How long SQLite itself waits for another writer's lock before failing with SQLITE_BUSY. SQLite
   * waits by sleeping in the calling thread, which for better-sqlite3 is the process's event loop:
   * nothing else in the process runs meanwhile. Default 10 s (the API, the CLIs); the worker uses 0
   * and retries asynchronously instead (see ActivitiesModule).
   */
  busyTimeoutMs?: number;
}

/** Longest wait for a PostgreSQL connection, opened or from the pool. */
export const PG_CONNECT_TIMEOUT_MS = 5_000;

/** Default SQLite busy timeout: a writer waits for another's lock up to 10 s. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** Knex options for Kudak's database: SQLite (WAL, foreign keys) or PostgreSQL, with Kudak's migrations. */
export function knexOptions(settings: DatabaseSettings, lockWait: SqliteLockWait = {}): Knex.Config {
  const migrations: Knex.MigratorConfig = { migrationSource: new KudakMigrationSource() };
  // Knex's own messages (pool errors, warnings) go through Nest's logger, like the rest of the app.
  const logger = new Logger('Knex');
  const log: Knex.Config['log'] = {
    warn: (msg: unknown) => logger.warn(String(msg)),
    error: (msg: unknown) => logger.error(String(msg)),
    deprecate: (method: string, alternative: string) => logger.warn(`${method} is deprecated; use ${alternative}`),
    debug: (msg: unknown) => logger.debug(String(msg)),
  };
  if (settings.client === 'pg') {
    return {
      client: 'pg',
      // Bounded waits: with the server down a request fails within seconds (a 503), never hangs.
      connection: { connectionString: settings.connection, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS },
      acquireConnectionTimeout: PG_CONNECT_TIMEOUT_MS,
      pool: { min: 0, max: 10 },
      migrations,
      log,
    };
  }
  return {
    log,
    client: 'better-sqlite3',
    connection: { filename: settings.connection },
    // SQLite has no DEFAULT keyword for multi-row inserts; Knex needs this to insert rows with gaps.
    useNullAsDefault: true,
    pool: {
      // Every connection (there is one per process) gets the settings SQLite keeps per connection.
      afterCreate: (conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
        try {
          // WAL lets the API read while the worker writes; a writer waits for another up to the timeout.
          // busy_timeout first: switching to WAL needs a lock another process may hold.
          const busyTimeoutMs = lockWait.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS;
          conn.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
          conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
    migrations,
  };
}

/** Creates the Knex instance (and the SQLite file's folder). Connections are opened lazily. */
export function createKnex(settings: DatabaseSettings, lockWait: SqliteLockWait = {}): Knex {
  if (settings.client === 'better-sqlite3' && settings.connection !== ':memory:') {
    fs.mkdirSync(path.dirname(settings.connection), { recursive: true });
  }
  return knex(knexOptions(settings, lockWait));
}

/** The database for logs and error messages, without its password. */
export function describeDatabase(settings: DatabaseSettings): string {
  if (settings.client === 'better-sqlite3') return `SQLite ${settings.connection}`;
  try {
    const url = new URL(settings.connection);
    if (url.password) url.password = '***';
    return `PostgreSQL ${url.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable DATABASE_URL)';
  }
}
