import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { retryWhileBusy } from './busy-retry';
import { createKnex } from './knex-options';

// Two connections to one SQLite file: one holds the write lock, the other has no busy timeout.
describe('retryWhileBusy', () => {
  let dir: string;
  let knex: Knex;
  let holder: Database.Database;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-busy-'));
    const file = path.join(dir, 'kudak.sqlite');
    knex = createKnex({ client: 'better-sqlite3', connection: file }, { busyTimeoutMs: 0 });
    await knex.raw('create table t (n integer)');
    holder = new Database(file);
  });
  afterEach(async () => {
    if (holder.inTransaction) holder.exec('ROLLBACK');
    holder.close();
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = () => knex('t').insert({ n: 1 });

  it('fails at once without it: the connection does not wait for the lock', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    await expect(insert()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('waits asynchronously until the lock is released, and the event loop keeps running', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    setTimeout(() => holder.exec('COMMIT'), 300);
    try {
      await retryWhileBusy(insert, 5_000);
    } finally {
      clearInterval(ticker);
    }
    expect(await knex('t').count({ n: '*' })).toEqual([{ n: 1 }]);
    expect(ticks).toBeGreaterThan(10);
  });

  it('gives up with SQLITE_BUSY once the time is spent', async () => {
    holder.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    await expect(retryWhileBusy(insert, 200)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('throws any other error at once, without trying again', async () => {
    let tries = 0;
    const failing = () => {
      tries++;
      return knex('no_such_table').insert({ n: 1 });
    };
    await expect(retryWhileBusy(failing, 5_000)).rejects.toMatchObject({
      message: expect.stringMatching(/no such table/),
    });
    expect(tries).toBe(1);
  });
});
