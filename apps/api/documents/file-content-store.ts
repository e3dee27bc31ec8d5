import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SHA256_HEX_PATTERN } from '@kudak/contracts';
import type { DocumentContentStore } from './document-content-store';

/**
 * Documents as files in a folder, named by their SHA-256 under a folder of its first two digits
 * (`ab/abcdef...`), so that no folder grows past a few thousand entries.
 */
export class FileContentStore implements DocumentContentStore {
  constructor(private readonly folder: string) {}

  pathOf(sha256: string): string {
    // The hash becomes a path: never let anything else (`../`) through.
    if (!SHA256_HEX_PATTERN.test(sha256)) throw new RangeError(`Not a SHA-256 in hex: ${JSON.stringify(sha256)}`);
    return path.join(this.folder, sha256.slice(0, 2), sha256);
  }

  async read(sha256: string): Promise<Buffer | undefined> {
    try {
      return await fs.readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /**
   * Writes a temporary file beside the target, flushes it to disk and renames it over the target:
   * a reader (or a crash) sees the whole document or none of it, never part of one.
   */
  async write(sha256: string, content: Buffer): Promise<void> {
    const file = this.pathOf(sha256);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      const handle = await fs.open(temporary, 'wx');
      try {
        await handle.writeFile(content);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temporary, file);
    } catch (err) {
      await fs.rm(temporary, { force: true });
      throw err;
    }
  }
}
