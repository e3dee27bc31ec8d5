import { Global, Module } from '@nestjs/common';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { KNEX } from './database.constants';
import { AuditLogRepository } from './audit-log.repository';
import { DatabaseService } from './database.service';
import { EmailOutboxRepository } from './email-outbox.repository';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { createKnex } from './knex-options';
import { NotificationsRepository } from './notifications.repository';
import { RecordsRepository } from './records.repository';

/**
 * Kudak's own database (records, inbox, e-mail outbox) through one Knex instance, migrated while the
 * app initialises. Global: import it once in an app's root module.
 */
@Global()
@Module({
  imports: [KudakConfigModule],
  providers: [
    { provide: KNEX, inject: [KudakConfig], useFactory: (config: KudakConfig) => createKnex(config.database) },
    DatabaseService,
    RecordsRepository,
    NotificationsRepository,
    EmailOutboxRepository,
    AuditLogRepository,
    IdempotencyKeysRepository,
  ],
  exports: [
    KNEX,
    DatabaseService,
    RecordsRepository,
    NotificationsRepository,
    EmailOutboxRepository,
    AuditLogRepository,
    IdempotencyKeysRepository,
  ],
})
export class DatabaseModule {}
