// What a driver error means, from its code: better-sqlite3 and pg both put one on the error.
const codeOf = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/** SQLite refused a lock (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, ...). */
export function isSqliteBusy(err: unknown): boolean {
  const code = codeOf(err);
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** PostgreSQL's unique_violation, or SQLite's UNIQUE / PRIMARY KEY constraint failure. */
export function isUniqueViolation(err: unknown): boolean {
  const code = codeOf(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
