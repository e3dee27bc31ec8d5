import { isSqliteBusy } from './database-errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and again while it fails because SQLite is locked by another writer, waiting
 * asynchronously between tries (10 ms doubling to 1 s) for at most `withinMs`; then rethrows the last
 * SQLITE_BUSY. Any other error is thrown at once. `work` must be safe to run again (idempotent).
 * This is how a process whose connection has no busy timeout waits for a lock without ever blocking
 * its event loop.
 */
export async function retryWhileBusy<T>(work: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await work();
    } catch (err) {
      if (!isSqliteBusy(err) || Date.now() + delay > deadline) throw err;
      await sleep(delay);
    }
  }
}
