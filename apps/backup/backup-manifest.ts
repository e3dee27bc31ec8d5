import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file in a backup folder that lists every other file with its SHA-256; written last. */
export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'kudak-backup/1';

export interface BackedUpFile {
  /** Relative to the data folder (and to the backup folder), with forward slashes. */
  path: string;
  bytes: number;
  sha256: string;
  /** `sqlite-online-backup`: a consistent copy taken through SQLite's backup API; `copy`: the file as it was. */
  how: 'sqlite-online-backup' | 'copy';
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** The data folder the backup was taken from. */
  dataDir: string;
  files: BackedUpFile[];
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let n: number; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/** The entry for a file now in the backup folder. */
export function describeFile(backupDir: string, relative: string, how: BackedUpFile['how']): BackedUpFile {
  const file = path.join(backupDir, relative);
  return { path: relative.split(path.sep).join('/'), bytes: fs.statSync(file).size, sha256: sha256File(file), how };
}

export function writeManifest(backupDir: string, manifest: BackupManifest): void {
  const target = path.join(backupDir, MANIFEST_FILE);
  fs.writeFileSync(`${target}.partial`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${target}.partial`, target);
}

/**
 * Reads a backup folder's manifest and checks the folder against it: every listed file present with
 * its size and SHA-256, nothing else beside them. Throws naming each difference.
 */
export function verifyBackup(backupDir: string): BackupManifest {
  const manifestFile = path.join(backupDir, MANIFEST_FILE);
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`${backupDir} is not a complete Kudak backup: it has no ${MANIFEST_FILE}`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) {
    throw new Error(`${manifestFile} is not a ${BACKUP_FORMAT} manifest`);
  }
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const file = path.join(backupDir, ...entry.path.split('/'));
    if (!isInside(backupDir, file)) problems.push(`${entry.path}: outside the backup folder`);
    else if (!fs.existsSync(file)) problems.push(`${entry.path}: missing`);
    else if (fs.statSync(file).size !== entry.bytes)
      problems.push(`${entry.path}: ${fs.statSync(file).size} bytes, manifest says ${entry.bytes}`);
    else if (sha256File(file) !== entry.sha256) problems.push(`${entry.path}: SHA-256 differs from the manifest's`);
  }
  for (const relative of listFiles(backupDir)) {
    if (relative !== MANIFEST_FILE && !listed.has(relative)) problems.push(`${relative}: not in the manifest`);
  }
  if (problems.length > 0) {
    throw new Error(`${backupDir} does not match its manifest:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return manifest;
}

/** Every regular file under `dir`, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
