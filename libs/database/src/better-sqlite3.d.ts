// The part of better-sqlite3's API that Kudak calls directly (Knex drives it everywhere else).
declare module 'better-sqlite3' {
  namespace Database {
    interface Options {
      readonly?: boolean;
      fileMustExist?: boolean;
      /** ms SQLite waits for another connection's lock (default 5000). */
      timeout?: number;
    }
    interface BackupProgress {
      totalPages: number;
      remainingPages: number;
    }
    interface Database {
      readonly open: boolean;
      readonly inTransaction: boolean;
      exec(sql: string): this;
      pragma(sql: string, options?: { simple?: boolean }): unknown;
      prepare(sql: string): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
      /** SQLite's online backup into `destination`; `progress` returns how many pages the next step copies. */
      backup(
        destination: string,
        options?: { progress?: (info: BackupProgress) => number | undefined },
      ): Promise<BackupProgress>;
      close(): this;
    }
  }
  const Database: new (filename: string, options?: Database.Options) => Database.Database;
  export = Database;
}
