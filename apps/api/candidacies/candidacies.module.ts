import { Module } from '@nestjs/common';
import { CandidaciesController } from './candidacies.controller';
import { CandidaciesService } from './candidacies.service';
import { IdempotencyKeys } from '../common/idempotency-key';
import { CandidacyAccessService } from './candidacy-access.service';
import { PageTokens } from './page-tokens';

@Module({
  controllers: [CandidaciesController],
  providers: [CandidaciesService, CandidacyAccessService, PageTokens, IdempotencyKeys],
  exports: [CandidacyAccessService, CandidaciesService, IdempotencyKeys],
})
export class CandidaciesModule {}
