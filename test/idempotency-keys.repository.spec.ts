import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { KudakConfig } from '@kudak/config';
import { createKnex, IdempotencyKeysRepository, migrateToLatest } from '@kudak/database';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';

describe.each(testDatabaseKinds())('Idempotency-Key bindings on %s', (kind) => {
  let db: TestDatabase;
  let knex: Knex;
  let sut: IdempotencyKeysRepository;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    knex = createKnex(KudakConfig.fromEnvironment({ DATABASE_URL: db.url }).database);
    await migrateToLatest(knex);
    sut = new IdempotencyKeysRepository(knex);
  });
  afterAll(async () => {
    await knex?.destroy();
    await db?.drop();
  });

  it('binds a key to the request it first came with, and keeps that binding', async () => {
    const id = randomUUID().replace(/-/g, '');
    expect(await sut.bind(id, 'a'.repeat(64))).toBe('a'.repeat(64));
    expect(await sut.bind(id, 'b'.repeat(64))).toBe('a'.repeat(64));
    expect(await sut.bind(id, 'a'.repeat(64))).toBe('a'.repeat(64));
  });

  it('of many first uses at once, one binds and every one reads that binding', async () => {
    const id = randomUUID().replace(/-/g, '');
    const hashes = Array.from({ length: 10 }, (_, i) => String(i).repeat(64));
    const bound = await Promise.all(hashes.map((hash) => sut.bind(id, hash)));
    expect(new Set(bound).size).toBe(1);
    expect(hashes).toContain(bound[0]);
    expect(await knex('idempotency_keys').where({ id }).count<[{ n: number | string }]>({ n: '*' })).toEqual([
      { n: kind === 'PostgreSQL' ? '1' : 1 },
    ]);
  });
});
