import { isSqliteBusy } from './database-errors';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work`, and again while it fails with an error `retryable` accepts, waiting asynchronously
 * between tries (10 ms doubling to 1 s) for at most `withinMs`; then rethrows the last error. Any
 * other error is thrown at once. `work` must be safe to run again (idempotent).
 */
export async function retryFor<T>(
  work: () => Promise<T>,
  withinMs: number,
  retryable: (err: unknown) => boolean,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await work();
    } catch (err) {
      if (!retryable(err) || Date.now() + delay > deadline) throw err;
      await sleep(delay);
    }
  }
}

/**
 * {@link retryFor} while SQLite is locked by another writer (SQLITE_BUSY): how a process whose
 * connection has no busy timeout waits for a lock without ever blocking its event loop.
 */
export function retryWhileBusy<T>(work: () => Promise<T>, withinMs: number): Promise<T> {
  return retryFor(work, withinMs, isSqliteBusy);
}
