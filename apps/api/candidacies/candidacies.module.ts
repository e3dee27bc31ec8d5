import { Module } from '@nestjs/common';
import { CandidaciesController } from './candidacies.controller';
import { CandidaciesService } from './candidacies.service';
import { CandidacyAccessService } from './candidacy-access.service';

@Module({
  controllers: [CandidaciesController],
  providers: [CandidaciesService, CandidacyAccessService],
  exports: [CandidacyAccessService, CandidaciesService],
})
export class CandidaciesModule {}
