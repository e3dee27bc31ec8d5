import { Module } from '@nestjs/common';
import { CandidaciesModule } from '../candidacies/candidacies.module';
import { DocumentsModule } from '../documents/documents.module';
import { ActionPlanController } from './action-plan.controller';
import { CommitmentController } from './commitment.controller';
import { CommitteeController } from './committee.controller';
import { DecisionsService } from './decisions.service';
import { DistrictPlansController } from './district-plans.controller';
import { EvaluationsController } from './evaluations.controller';
import { ObligationsController } from './obligations.controller';

@Module({
  imports: [CandidaciesModule, DocumentsModule],
  controllers: [
    CommitmentController,
    ObligationsController,
    DistrictPlansController,
    ActionPlanController,
    CommitteeController,
    EvaluationsController,
  ],
  providers: [DecisionsService],
})
export class DecisionsModule {}
