import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { RecordEvaluationDto, RecordFinalAssessmentDto, SubmitCorrectivePlanDto } from './dto/decision.dto';

const { recordEvaluation, submitCorrectivePlan, recordFinalAssessment } = DECISIONS;

@ApiTags('implementation and assessment')
@Controller('candidacies/:cityId')
export class EvaluationsController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute('evaluations', recordEvaluation)
  evaluate(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: RecordEvaluationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordEvaluation.update, body, key);
  }

  @DecisionRoute('corrective-plan', submitCorrectivePlan)
  correct(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: SubmitCorrectivePlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, submitCorrectivePlan.update, body, key);
  }

  @DecisionRoute('final-assessment', recordFinalAssessment)
  assess(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: RecordFinalAssessmentDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordFinalAssessment.update, body, key);
  }
}
