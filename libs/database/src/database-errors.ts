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

/** Node's socket errors and PostgreSQL's connection and shutdown classes (08, 53300, 57P0x). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);
const POSTGRES_NOT_NOW = /^(08\d{3}|53300|57P01|57P02|57P03)$/;

/**
 * Why Kudak's database cannot answer now but may in a moment (a 503 the caller should retry), in
 * words safe to show; undefined for any other error (a bug stays a 500).
 */
export function databaseUnavailableReason(err: unknown): string | undefined {
  const code = codeOf(err);
  if (isSqliteBusy(err) || code === 'SQLITE_LOCKED') return "Kudak's database is locked; try again shortly";
  if (typeof code === 'string' && (UNREACHABLE.has(code) || POSTGRES_NOT_NOW.test(code))) {
    return "Kudak's database is not reachable; try again shortly";
  }
  // pg's own words for a connection lost or never made (these carry no code).
  if (err instanceof Error && /^Connection terminated|timeout exceeded when trying to connect/i.test(err.message)) {
    return "Kudak's database is not reachable; try again shortly";
  }
  // Knex's pool gave up waiting for a connection (the server is down or every connection is busy).
  if ((err as { name?: unknown } | null)?.name === 'KnexTimeoutError') {
    return "Kudak's database did not answer in time; try again shortly";
  }
  return undefined;
}
