import * as path from 'node:path';
import type { KudakConfig } from '@kudak/config';
import { isInside } from './backup-manifest';

/** What this configuration keeps outside KUDAK_DATA_DIR, which a backup of the folder does not hold. */
export function outsideDataDir(config: KudakConfig): string[] {
  const notes: string[] = [];
  const { database, auth, dataDir } = config;
  if (database.client === 'pg') {
    notes.push("Kudak's database is PostgreSQL (DATABASE_URL): back it up with pg_dump");
  } else if (database.connection !== ':memory:' && !isInside(dataDir, database.connection)) {
    notes.push(`Kudak's database ${database.connection} (DATABASE_URL) is outside KUDAK_DATA_DIR`);
  }
  if (config.temporal.externalAddress) {
    notes.push(`Temporal is the cluster at ${config.temporal.externalAddress}: back it up where it runs`);
  }
  if (config.documents.s3) {
    const { bucket, keyPrefix } = config.documents.s3;
    notes.push(`the documents are in the S3 bucket ${bucket} under ${keyPrefix} (DOCUMENT_STORE=s3): back it up there`);
  }
  if (auth.mode === 'local' && !isInside(dataDir, auth.localKeyDir)) {
    notes.push(
      `the local signing key ${path.resolve(auth.localKeyDir)} (AUTH_LOCAL_KEY_DIR) is outside KUDAK_DATA_DIR`,
    );
  }
  return notes;
}
