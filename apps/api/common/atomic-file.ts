import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';

// Files that several processes may create at once (the local signing key, the page-token secret).

/** The file's text, or undefined when there is no such file. */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Readers never see a half-written file: write a temp file beside the target, then move it in.
 * `keep-existing`: the first file to land wins, a concurrent writer's is never overwritten.
 */
export function writeAtomically(file: string, text: string, mode: number, ifExists: 'replace' | 'keep-existing'): void {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  fs.writeFileSync(temp, text, { mode, flag: 'wx' });
  try {
    if (ifExists === 'replace') {
      fs.renameSync(temp, file);
      return;
    }
    try {
      // link() fails if the target exists, so a concurrent process's file is never overwritten.
      fs.linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
