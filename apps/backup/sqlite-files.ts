import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { isSqliteBusy } from '@kudak/database';

/** SQLite's own files beside a database (`x.sqlite-wal`, `-shm`, `-journal`): never copied as such. */
export const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A SQLite database file, by its header (whatever its name). */
export function isSqliteDatabase(file: string): boolean {
  if (SQLITE_SIDE_FILES.some((suffix) => file.endsWith(suffix))) return false;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    // Gone since the folder was listed (a temporary file): not a database to copy.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    return fs.readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A read snapshot of a live SQLite database: it sees the database as it was when it was opened,
 * whatever other processes write meanwhile (in WAL mode they are not held up).
 */
export class SqliteSnapshot {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file, { fileMustExist: true, timeout: 10_000 });
    this.db.exec('BEGIN');
    // The snapshot starts with the first read, not with BEGIN.
    this.db.prepare('select count(*) from sqlite_master').get();
  }

  /**
   * Copies the snapshot into `destination` with SQLite's online backup (every page in one step, so
   * within this snapshot), then makes the copy a single self-contained file and checks it.
   */
  async copyTo(destination: string): Promise<void> {
    try {
      await this.db.backup(destination, { progress: () => 0x7fffffff });
    } finally {
      this.db.exec('COMMIT');
      this.db.close();
    }
    const copy = new Database(destination, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy of ${this.file} fails SQLite's quick_check: ${String(check)}`);
    } finally {
      copy.close();
    }
  }

  /** Ends the snapshot without copying. */
  release(): void {
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec('COMMIT');
      this.db.close();
    }
  }
}

/**
 * True when another process has the database open (a running dev server, worker or API): it then
 * holds a lock that keeps this connection from taking the file exclusively.
 */
export function isSqliteInUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if (isSqliteBusy(err)) return true;
    throw err;
  } finally {
    db.close();
  }
}
