import { describeDatabase, knexOptions } from './knex-options';

describe('knexOptions', () => {
  it('uses better-sqlite3 with null defaults for SQLite', () => {
    const sut = knexOptions({ client: 'better-sqlite3', connection: '/tmp/k.sqlite' });
    expect(sut).toMatchObject({
      client: 'better-sqlite3',
      connection: { filename: '/tmp/k.sqlite' },
      useNullAsDefault: true,
    });
    expect(sut.migrations?.migrationSource).toBeDefined();
  });

  it('passes a PostgreSQL URL to pg, with bounded waits for a connection', () => {
    const sut = knexOptions({ client: 'pg', connection: 'postgres://k:p@db:5432/kudak' });
    expect(sut).toMatchObject({
      client: 'pg',
      connection: { connectionString: 'postgres://k:p@db:5432/kudak', connectionTimeoutMillis: 5000 },
      acquireConnectionTimeout: 5000,
    });
  });
});

describe('describeDatabase', () => {
  it('hides the password of a PostgreSQL URL', () => {
    expect(describeDatabase({ client: 'pg', connection: 'postgres://kudak:hunter2@db:5432/kudak' })).toBe(
      'PostgreSQL postgres://kudak:***@db:5432/kudak',
    );
  });

  it('names the SQLite file', () => {
    expect(describeDatabase({ client: 'better-sqlite3', connection: '/srv/kudak.sqlite' })).toBe(
      'SQLite /srv/kudak.sqlite',
    );
  });
});
