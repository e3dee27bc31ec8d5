// Latency samples and the table the load benchmark prints.

/** The sample at percentile p (nearest rank), in ms. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `fn` and returns how long it took, in ms. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Runs the jobs with at most `concurrency` of them at once. */
export async function runPooled<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

export type Row = [metric: string, kudak: number | string, bare: number | string];

/** Prints rows as a table with the Kudak/bare ratio of numeric rows. */
export function printTable(title: string, rows: Row[]): void {
  const format = (v: number | string) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : v);
  console.log(`\n${title}`);
  console.log(['metric'.padEnd(44), 'kudak'.padStart(9), 'bare'.padStart(9), 'ratio'.padStart(7)].join(' '));
  for (const [metric, kudak, bare] of rows) {
    const ratio =
      typeof kudak === 'number' && typeof bare === 'number' && bare > 0 ? `${(kudak / bare).toFixed(2)}x` : '';
    console.log([metric.padEnd(44), format(kudak).padStart(9), format(bare).padStart(9), ratio.padStart(7)].join(' '));
  }
}
