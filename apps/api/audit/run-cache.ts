import { LRUCache } from 'lru-cache';
import type { RunHistory } from './timeline.builder';

/**
 * What a run's history gives (its JSON, its timeline lines), kept by run and length. Events are
 * never changed once written, so a run's first n events always give the same result: a closed
 * run's (a settled district, an earlier cycle) is derived once, not on every audit read.
 */
export class RunCache<T extends object | string> {
  private readonly kept: LRUCache<string, T>;

  constructor(
    private readonly derive: (run: RunHistory) => T,
    /** The most kept, in the units of `sizeOf`; the least recently used go first. */
    maxSize: number,
    sizeOf: (value: T) => number,
  ) {
    this.kept = new LRUCache<string, T>({ maxSize, sizeCalculation: (value) => Math.max(1, sizeOf(value)) });
  }

  get(run: RunHistory): T {
    const key = `${run.workflowId}\u0000${run.runId}\u0000${run.events.length}`;
    let value = this.kept.get(key);
    if (value === undefined) {
      value = this.derive(run);
      this.kept.set(key, value);
    }
    return value;
  }
}
