import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KudakConfig } from '@kudak/config';
import {
  BACKUP_FORMAT,
  describeFile,
  isInside,
  listFiles,
  writeManifest,
  type BackedUpFile,
  type BackupManifest,
} from './backup-manifest';
import { outsideDataDir } from './data-dir-contents';
import { isSqliteDatabase, SQLITE_SIDE_FILES, SqliteSnapshot } from './sqlite-files';

/**
 * Backs up KUDAK_DATA_DIR into `to` (a new or empty folder) while the engine runs: each SQLite
 * database (Temporal's, Kudak's) through SQLite's online backup, every other file (the local signing
 * key, documents) copied, then a manifest with the SHA-256 of each.
 *
 * Order makes the copy consistent: every database's read snapshot is taken before anything is
 * copied, Kudak's before Temporal's (the audit log, derived from the histories, is never ahead of
 * them); the other files are copied after the snapshots, so every document a database names is there.
 */
export async function backupDataDir(
  config: KudakConfig,
  to: string,
  log: (line: string) => void,
): Promise<BackupManifest> {
  const { dataDir } = config;
  const target = path.resolve(to);
  if (!fs.existsSync(dataDir)) throw new Error(`KUDAK_DATA_DIR ${dataDir} does not exist: nothing to back up`);
  if (isInside(dataDir, target) || path.resolve(dataDir) === target) {
    throw new Error(`the backup folder ${target} must not be inside KUDAK_DATA_DIR ${dataDir}`);
  }
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) {
    throw new Error(`the backup folder ${target} is not empty: back up into a new folder`);
  }
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });

  const all = listFiles(dataDir);
  const databases = all.filter((f) => isSqliteDatabase(path.join(dataDir, f)));
  const sideFiles = new Set(databases.flatMap((db) => SQLITE_SIDE_FILES.map((suffix) => db + suffix)));
  const others = all.filter((f) => !databases.includes(f) && !sideFiles.has(f));
  const temporalDb = path.relative(dataDir, config.devServer.dbFile).split(path.sep).join('/');
  databases.sort((a, b) => Number(a === temporalDb) - Number(b === temporalDb));

  const files: BackedUpFile[] = [];
  const snapshots = databases.map((db) => new SqliteSnapshot(path.join(dataDir, db)));
  try {
    for (const [i, db] of databases.entries()) {
      const destination = path.join(target, db);
      fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
      await snapshots[i].copyTo(destination);
      files.push(describeFile(target, db, 'sqlite-online-backup'));
      log(`${db}: SQLite online backup, ${files.at(-1)!.bytes} bytes`);
    }
  } finally {
    for (const snapshot of snapshots) snapshot.release();
  }
  for (const file of others) {
    const source = path.join(dataDir, file);
    const destination = path.join(target, file);
    fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
    try {
      fs.copyFileSync(source, destination);
      fs.chmodSync(destination, fs.statSync(source).mode & 0o777);
    } catch (err) {
      // A temporary file that went away since the listing is not part of the data.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    files.push(describeFile(target, file, 'copy'));
  }
  log(`${others.length} other file(s) copied`);

  const manifest: BackupManifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), dataDir, files };
  writeManifest(target, manifest);
  for (const note of outsideDataDir(config)) log(`not included: ${note}`);
  return manifest;
}
