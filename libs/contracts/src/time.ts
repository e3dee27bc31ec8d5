// Pure calendar arithmetic on epoch milliseconds (UTC), safe in workflow code.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function addDays(epochMs: number, days: number): number {
  return epochMs + days * DAY_MS;
}

/** Calendar months (UTC), clamping to the month's last day: 31 Jan + 1 month = 28/29 Feb. */
export function addMonths(epochMs: number, months: number): number {
  const d = new Date(epochMs);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime();
}

export function addYears(epochMs: number, years: number): number {
  return addMonths(epochMs, years * 12);
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
