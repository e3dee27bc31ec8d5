import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import knex from 'knex';

export type TestDatabaseKind = 'SQLite' | 'PostgreSQL';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL names a server (`.ci/run` starts one). */
export function testDatabaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
}

export interface TestDatabase {
  /** A DATABASE_URL for Kudak. */
  url: string;
  /** Removes the database (the SQLite file, or the PostgreSQL schema). */
  drop(): Promise<void>;
}

/**
 * An empty database of its own: a fresh SQLite file, or a fresh schema on the PostgreSQL server
 * (selected through the connection's search_path), so parallel test files and reruns never meet.
 */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'SQLite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-db-'));
    return {
      url: `sqlite:${path.join(dir, 'kudak.sqlite')}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run scripts/test-postgres.sh and export what it prints');
  const schema = `kudak_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = knex({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
  try {
    await admin.raw('create schema ??', [schema]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = knex({ client: 'pg', connection: base, pool: { min: 0, max: 1 } });
      try {
        await cleanup.raw('drop schema if exists ?? cascade', [schema]);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
