import type { Knex } from 'knex';
import { initialSchema } from './001-initial-schema.migration';
import { auditLog } from './002-audit-log.migration';
import { notificationCountry } from './003-notification-country.migration';
import { documents } from './004-documents.migration';
import { emailSmtpResponse } from './005-email-smtp-response.migration';
import { idempotencyKeys } from './006-idempotency-keys.migration';
import { readModels } from './007-read-models.migration';
import type { KudakMigration } from './kudak-migration';

export type { KudakMigration } from './kudak-migration';

/** Every migration, in order. Append new ones; never reorder, rename or edit one that has shipped. */
export const MIGRATIONS: readonly KudakMigration[] = [
  initialSchema,
  auditLog,
  notificationCountry,
  documents,
  emailSmtpResponse,
  idempotencyKeys,
  readModels,
];

/**
 * Serves {@link MIGRATIONS} to Knex. Imported statically rather than found by a directory scan, so
 * the same list runs from the TypeScript sources (ts-jest) and from the compiled dist/.
 */
export class KudakMigrationSource implements Knex.MigrationSource<KudakMigration> {
  async getMigrations(): Promise<KudakMigration[]> {
    return [...MIGRATIONS];
  }

  getMigrationName(migration: KudakMigration): string {
    return migration.name;
  }

  async getMigration(migration: KudakMigration): Promise<Knex.Migration> {
    return { up: migration.up, down: migration.down };
  }
}
