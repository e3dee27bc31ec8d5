import { Module } from '@nestjs/common';
import { CandidaciesModule } from '../candidacies/candidacies.module';
import { DocumentsModule } from '../documents/documents.module';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { CandidacyHistoryService } from './candidacy-history.service';

@Module({
  imports: [CandidaciesModule, DocumentsModule],
  controllers: [AuditController],
  providers: [AuditService, CandidacyHistoryService],
  exports: [AuditService],
})
export class AuditModule {}
