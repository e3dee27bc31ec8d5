import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { KudakConfig } from '@kudak/config';
import { DatabaseContentStore } from './database-content-store';
import { FileContentStore } from './file-content-store';
import { S3ContentStore } from './s3-content-store';

/** Injection token of the configured {@link DocumentContentStore}. */
export const DOCUMENT_CONTENT_STORE = Symbol('DOCUMENT_CONTENT_STORE');

/**
 * Where documents' bytes live, each under the SHA-256 of its content. A store only reads and
 * writes; the hash is computed and checked by its callers (DocumentsService). A store that cannot
 * answer now (a remote one down or slow) throws a {@link DocumentStoreUnavailableError}.
 */
export interface DocumentContentStore {
  /** The bytes stored under this hash as they are now (they may have been altered), or undefined. */
  read(sha256: string): Promise<Buffer | undefined>;
  /** Stores (or replaces, atomically) the bytes under their hash. */
  write(sha256: string, content: Buffer): Promise<void>;
}

/** The store did not answer in time or failed for now: the caller may retry later (a 503). */
export class DocumentStoreUnavailableError extends Error {
  override readonly name = 'DocumentStoreUnavailableError';
}

export const sha256Of = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');

/** The store the configuration names (DocumentSettings.store). */
export function createDocumentContentStore(config: KudakConfig, knex: Knex): DocumentContentStore {
  const { store, folder, s3 } = config.documents;
  if (store === 's3') return new S3ContentStore(s3!);
  return store === 'database' ? new DatabaseContentStore(knex) : new FileContentStore(folder);
}
