import { spawn } from 'node:child_process';

export interface HeldSqliteLock {
  /** Epoch ms when the other process held the lock. */
  takenAt: number;
  /** Resolves with the epoch ms when the other process committed and exited. */
  released: Promise<number>;
}

// Runs in its own process: takes SQLite's write lock with BEGIN EXCLUSIVE, says so, holds it, commits.
const HOLDER = `
const Database = require('better-sqlite3');
const [file, ms] = process.argv.slice(1);
const db = new Database(file, { timeout: 30000 });
db.exec('BEGIN EXCLUSIVE');
process.stdout.write('locked ' + Date.now() + '\\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released ' + Date.now() + '\\n');
}, Number(ms));
`;

/**
 * Another process takes an exclusive lock on the SQLite file and holds it for `ms`, as an
 * administrator's shell or a stuck tool would. Resolves once the lock is held.
 */
export async function holdSqliteLock(file: string, ms: number): Promise<HeldSqliteLock> {
  const child = spawn(process.execPath, ['-e', HOLDER, file, String(ms)], {
    cwd: __dirname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const said = (word: string) =>
    new Promise<number>((resolve, reject) => {
      const check = () => {
        const at = new RegExp(`^${word} (\\d+)$`, 'm').exec(out)?.[1];
        if (at) resolve(Number(at));
      };
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        check();
      });
      void exited.then((code) => {
        check();
        reject(new Error(`the lock holder exited (code ${code}) before it said "${word}": ${err}`));
      });
    });
  const released = said('released');
  released.catch(() => undefined);
  const takenAt = await said('locked');
  return { takenAt, released };
}
