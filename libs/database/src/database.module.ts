import { type DynamicModule, Global, Module } from '@nestjs/common';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { KNEX } from './database.constants';
import { AuditLogRepository } from './audit-log.repository';
import { DatabaseService } from './database.service';
import { DocumentsRepository } from './documents.repository';
import { EmailOutboxRepository } from './email-outbox.repository';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { createKnex, type SqliteLockWait } from './knex-options';
import { NotificationsRepository } from './notifications.repository';
import { ReadModelRepository } from './read-model.repository';
import { RecordsRepository } from './records.repository';

/** Injection token of this process's {@link SqliteLockWait}. */
const SQLITE_LOCK_WAIT = Symbol('SQLITE_LOCK_WAIT');

/**
 * Kudak's own database (records, inbox, e-mail outbox, audit log, documents, Idempotency-Keys, the read model)
 * through one Knex instance, migrated while the app initialises. Global: import it once in an app's
 * root module, as is (SQLite waits for another writer's lock up to its default busy timeout) or
 * through {@link DatabaseModule.forRoot}.
 */
@Global()
@Module({
  imports: [KudakConfigModule],
  providers: [
    { provide: SQLITE_LOCK_WAIT, useValue: {} },
    {
      provide: KNEX,
      inject: [KudakConfig, SQLITE_LOCK_WAIT],
      useFactory: (config: KudakConfig, lockWait: SqliteLockWait) => createKnex(config.database, lockWait),
    },
    DatabaseService,
    RecordsRepository,
    NotificationsRepository,
    EmailOutboxRepository,
    AuditLogRepository,
    DocumentsRepository,
    IdempotencyKeysRepository,
    ReadModelRepository,
  ],
  exports: [
    KNEX,
    DatabaseService,
    RecordsRepository,
    NotificationsRepository,
    EmailOutboxRepository,
    AuditLogRepository,
    DocumentsRepository,
    IdempotencyKeysRepository,
    ReadModelRepository,
  ],
})
export class DatabaseModule {
  /** The module with this process's way of waiting for SQLite locks (it replaces the default). */
  static forRoot(lockWait: SqliteLockWait): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: SQLITE_LOCK_WAIT, useValue: lockWait }] };
  }
}
