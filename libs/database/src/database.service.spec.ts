import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Knex } from 'knex';
import { KudakConfig } from '@kudak/config';
import { KNEX } from './database.constants';
import { DatabaseModule } from './database.module';
import { DatabaseService } from './database.service';
import { MIGRATIONS } from './migrations';

describe('DatabaseModule on SQLite', () => {
  let dir: string;
  let moduleRef: TestingModule;
  let knex: Knex;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-database-'));
    moduleRef = await Test.createTestingModule({ imports: [DatabaseModule] })
      .overrideProvider(KudakConfig)
      // A folder that does not exist yet: the module creates it.
      .useValue(KudakConfig.fromEnvironment({ DATABASE_URL: `sqlite:${path.join(dir, 'nested', 'kudak.sqlite')}` }))
      .compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    knex = moduleRef.get<Knex>(KNEX);
  });

  afterEach(async () => {
    await moduleRef.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates to the latest schema while the module initialises', async () => {
    for (const table of ['decisions', 'evaluations', 'awards', 'notifications', 'email_outbox']) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    const applied = await knex('knex_migrations').pluck('name');
    expect(applied).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('finds nothing to do when migrated again', async () => {
    expect(await moduleRef.get(DatabaseService).migrate()).toEqual({ batch: 1, applied: [] });
  });

  it('opens SQLite in WAL mode with foreign keys on', async () => {
    expect(await knex.raw('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await knex.raw('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }]);
  });

  it('waits up to 10 s for another writer by default', async () => {
    expect(await knex.raw('pragma busy_timeout')).toEqual([{ timeout: 10_000 }]);
  });

  it('enforces one row per idempotency key', async () => {
    const row = {
      key: 'wf/run/1',
      workflow_id: 'wf',
      city_id: 'c',
      kind: 'RECOGNITION',
      cycle: 1,
      awarded_at: '2026-01-01T00:00:00.000Z',
      actor_id: 'a',
      actor_role: 'unicef_officer',
      actor_organisation: 'UNICEF',
      recorded_at: '2026-01-01T00:00:00.000Z',
    };
    await knex('awards').insert(row);
    await expect(knex('awards').insert(row)).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_UNIQUE',
      message: expect.stringContaining('awards.key'),
    });
  });

  it('closes the pool when the app shuts down', async () => {
    await moduleRef.close();
    await expect(knex.raw('select 1')).rejects.toThrow();
    // afterEach closes again: closing twice must be harmless.
  });
});

describe('DatabaseModule.forRoot', () => {
  it("sets this process's SQLite busy timeout", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-database-'));
    const moduleRef = await Test.createTestingModule({ imports: [DatabaseModule.forRoot({ busyTimeoutMs: 0 })] })
      .overrideProvider(KudakConfig)
      .useValue(KudakConfig.fromEnvironment({ DATABASE_URL: `sqlite:${path.join(dir, 'kudak.sqlite')}` }))
      .compile();
    moduleRef.useLogger(false);
    await moduleRef.init();
    try {
      expect(await moduleRef.get<Knex>(KNEX).raw('pragma busy_timeout')).toEqual([{ timeout: 0 }]);
    } finally {
      await moduleRef.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DatabaseService.migrate', () => {
  it('names the database, without its password, when it cannot migrate', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DatabaseModule] })
      .overrideProvider(KudakConfig)
      // Nothing listens on port 1.
      .useValue(KudakConfig.fromEnvironment({ DATABASE_URL: 'postgres://kudak:hunter2@127.0.0.1:1/kudak' }))
      .compile();
    moduleRef.useLogger(false);
    const failure = await moduleRef.init().catch((err: unknown) => err as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^Could not migrate the database \(PostgreSQL postgres:\/\/kudak:\*\*\*@127\.0\.0\.1:1\/kudak\): .*ECONNREFUSED/,
    );
    expect((failure as Error).message).not.toContain('hunter2');
    // close() would rethrow the failed initialisation; the pool is all there is to release.
    await moduleRef.get<Knex>(KNEX).destroy();
  });
});
