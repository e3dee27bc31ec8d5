/** The load benchmark's command line (see bench/load.bench.ts for what each option does). */
export interface LoadOptions {
  cities: number;
  open: number[];
  temporal?: string;
  short: boolean;
  direct: boolean;
  /** Also measures bare stand-ins that schedule one activity per update. */
  floor: boolean;
  /** Also measures Kudak's district workflows on this process's worker, with no-op activities. */
  shape: boolean;
  /** ms waited before each decision (not timed), so the previous one's effects have run. */
  pause: number;
}

export function parseLoadOptions(argv: string[]): LoadOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const short = argv.includes('--short');
  const cities = Number(value('--cities') ?? (short ? 2 : 8));
  const open = (value('--open') ?? (short ? '10,100' : '10,100,1000')).split(',').map(Number);
  const pause = Number(value('--pause') ?? 0);
  if (!Number.isInteger(cities) || cities < 2) throw new Error('--cities must be an integer of at least 2');
  if (open.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--open must list positive integers');
  if (!Number.isInteger(pause) || pause < 0) throw new Error('--pause must be a whole number of ms, 0 or more');
  return {
    cities,
    open: open.sort((a, b) => a - b),
    temporal: value('--temporal'),
    short,
    direct: argv.includes('--direct'),
    floor: argv.includes('--floor'),
    shape: argv.includes('--shape'),
    pause,
  };
}
