import { ZipFile } from 'yazl';
import { sha256Of } from '../documents/document-content-store';

/** A file of the dossier as its manifest lists it. */
export interface DossierFile {
  name: string;
  bytes: number;
  sha256: string;
}

// A fixed date: the same files in the same order give the same archive.
const ENTRY_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * The dossier's zip, compressed as its files come: each is deflated on libuv's thread pool as soon
 * as it is added, so the histories are compressed while the next ones are still being fetched.
 * Fast compression: the dossier is built on request, and JSON compresses well even at level 1.
 */
export class DossierZip {
  private readonly zip = new ZipFile();
  private readonly output: Promise<Buffer>;
  private readonly files = new Map<string, DossierFile>();

  constructor() {
    const chunks: Buffer[] = [];
    this.output = new Promise((resolve, reject) => {
      this.zip.outputStream
        .on('data', (chunk: Buffer) => chunks.push(chunk))
        .on('end', () => resolve(Buffer.concat(chunks)))
        .on('error', reject);
    });
    // A zip given up on (the caller may not read the city) is never awaited.
    this.output.catch(() => undefined);
  }

  add(name: string, content: string | Buffer): void {
    const buffer = typeof content === 'string' ? Buffer.from(content) : content;
    this.files.set(name, { name, bytes: buffer.length, sha256: sha256Of(buffer) });
    this.zip.addBuffer(buffer, name, { mtime: ENTRY_DATE, compressionLevel: 1 });
  }

  /** What was added under each name, in the order of the names. */
  listed(names: string[]): DossierFile[] {
    return names.map((name) => {
      const file = this.files.get(name);
      if (!file) throw new Error(`${name} is not in the dossier`);
      return file;
    });
  }

  /** Adds the last file and gives the archive. */
  async finish(name: string, content: string): Promise<Buffer> {
    this.add(name, content);
    this.zip.end();
    return this.output;
  }
}
