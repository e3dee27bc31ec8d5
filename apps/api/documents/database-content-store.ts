import type { Knex } from 'knex';
import type { DocumentContentStore } from './document-content-store';

/** Documents' bytes in Kudak's database (table `document_contents`, one row per SHA-256). */
export class DatabaseContentStore implements DocumentContentStore {
  constructor(private readonly knex: Knex) {}

  async read(sha256: string): Promise<Buffer | undefined> {
    const row: { content: Buffer | Uint8Array } | undefined = await this.knex('document_contents')
      .where({ sha256 })
      .first('content');
    return row ? Buffer.from(row.content) : undefined;
  }

  async write(sha256: string, content: Buffer): Promise<void> {
    await this.knex('document_contents')
      .insert({ sha256, content, size: content.length, stored_at: new Date().toISOString() })
      .onConflict('sha256')
      .merge(['content', 'size', 'stored_at']);
  }
}
