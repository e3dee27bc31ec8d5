import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { recordEvaluationUpdate, recordFinalAssessmentUpdate, submitCorrectivePlanUpdate } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { RecordEvaluationDto, RecordFinalAssessmentDto, SubmitCorrectivePlanDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('implementation and assessment')
@Controller('candidacies/:cityId')
export class EvaluationsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('evaluations')
  @Roles('committee_member', 'ministry_officer')
  @ApiOperation({ summary: 'Record the monitoring (or follow-up) evaluation that is due' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  evaluate(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: RecordEvaluationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordEvaluationUpdate, body, key);
  }

  @Post('corrective-plan')
  @Roles('administrator')
  @ApiOperation({ summary: 'Submit the corrective-action plan after an unsatisfactory evaluation' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  correct(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: SubmitCorrectivePlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, submitCorrectivePlanUpdate, body, key);
  }

  @Post('final-assessment')
  @Roles('unicef_officer')
  @ApiOperation({ summary: 'Assess the three global minimum criteria; accession follows if all are met' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  assess(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: RecordFinalAssessmentDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordFinalAssessmentUpdate, body, key);
  }
}
