import { Global, Module } from '@nestjs/common';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import { KNEX } from './database.constants';
import { AuditLogRepository } from './audit-log.repository';
import { DatabaseService } from './database.service';
import { DocumentsRepository } from './documents.repository';
import { EmailOutboxRepository } from './email-outbox.repository';
import { createKnex } from './knex-options';
import { NotificationsRepository } from './notifications.repository';
import { RecordsRepository } from './records.repository';

/**
 * Kudak's own database (records, inbox, e-mail outbox, audit log, documents) through one Knex
 * instance, migrated while the app initialises. Global: import it once in an app's root module.
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
    DocumentsRepository,
  ],
  exports: [
    KNEX,
    DatabaseService,
    RecordsRepository,
    NotificationsRepository,
    EmailOutboxRepository,
    AuditLogRepository,
    DocumentsRepository,
  ],
})
export class DatabaseModule {}
