/** Instants are written as ISO-8601 UTC text: SQLite then sorts them correctly as text. */
export function toIsoInstant(value: string | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not an instant: ${JSON.stringify(value)}`);
  return date.toISOString();
}

/** Reads an instant back: PostgreSQL returns Date objects, SQLite the ISO text it was given. */
export function readInstant(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return toIsoInstant(value as string | Date);
}
