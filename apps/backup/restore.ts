import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KudakConfig } from '@kudak/config';
import { describeFile, listFiles, verifyBackup, type BackupManifest } from './backup-manifest';
import { outsideDataDir } from './data-dir-contents';
import { isSqliteDatabase, isSqliteInUse } from './sqlite-files';

export interface RestoreOutcome {
  manifest: BackupManifest;
  /** Where the data folder's earlier contents were moved (with `overwrite`), if it had any. */
  movedAside?: string;
}

/**
 * Restores a backup folder into KUDAK_DATA_DIR. Refuses a backup that does not match its manifest,
 * and a data folder that is in use (a dev server, worker or API has one of its databases open).
 * A data folder with contents is replaced only with `overwrite`, and then moved aside, not deleted.
 * The files are copied and checked in a folder beside it, which then takes its place.
 */
export function restoreDataDir(
  config: KudakConfig,
  from: string,
  options: { overwrite: boolean },
  log: (line: string) => void,
): RestoreOutcome {
  const source = path.resolve(from);
  const manifest = verifyBackup(source);
  log(`${source}: ${manifest.files.length} file(s) match the manifest of ${manifest.createdAt}`);

  const { dataDir } = config;
  const existing = fs.existsSync(dataDir) ? listFiles(dataDir) : [];
  const databases = existing.filter((f) => isSqliteDatabase(path.join(dataDir, f)));
  const inUse = databases.filter((f) => isSqliteInUse(path.join(dataDir, f)));
  if (inUse.length > 0) {
    throw new Error(
      `KUDAK_DATA_DIR ${dataDir} is in use (${inUse.join(', ')} open in another process): stop Kudak (npm start) first`,
    );
  }
  if (existing.length > 0 && !options.overwrite) {
    throw new Error(
      `KUDAK_DATA_DIR ${dataDir} is not empty: restore into a new folder, or add --overwrite to replace it`,
    );
  }

  const staging = `${dataDir}.restoring-${process.pid}`;
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true, mode: 0o700 });
  try {
    for (const entry of manifest.files) {
      const destination = path.join(staging, ...entry.path.split('/'));
      fs.mkdirSync(path.dirname(destination), { recursive: true, mode: 0o700 });
      const backedUp = path.join(source, ...entry.path.split('/'));
      fs.copyFileSync(backedUp, destination);
      fs.chmodSync(destination, fs.statSync(backedUp).mode & 0o777);
      if (describeFile(staging, entry.path, entry.how).sha256 !== entry.sha256) {
        throw new Error(`${entry.path} changed while it was copied`);
      }
    }
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }

  let movedAside: string | undefined;
  if (existing.length > 0) {
    movedAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(dataDir, movedAside);
    log(`the earlier contents of ${dataDir} are now in ${movedAside}`);
  } else {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  fs.renameSync(staging, dataDir);
  log(`restored ${manifest.files.length} file(s) into ${dataDir}`);
  for (const note of outsideDataDir(config)) log(`not restored: ${note}`);
  return { manifest, movedAside };
}
