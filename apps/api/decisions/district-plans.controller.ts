import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { reviewDistrictPlanUpdate, submitDistrictPlanUpdate, waiveDistrictPlanUpdate } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { DistrictParams } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { ReasonedDecisionDto, ReviewDto, SubmitDistrictPlanDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('district plans')
@Controller('candidacies/:cityId/districts/:districtId')
export class DistrictPlansController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('plan')
  @Roles('district_submitter', 'administrator')
  @ApiOperation({ summary: "Submit (or resubmit) the district's plan" })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  submit(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: SubmitDistrictPlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, submitDistrictPlanUpdate, body, key);
  }

  @Post('review')
  @Roles('reviewer')
  @ApiOperation({ summary: 'Approve the plan, or return it with a reason' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  review(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: ReviewDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, reviewDistrictPlanUpdate, body, key);
  }

  @Post('waiver')
  @Roles('administrator')
  @ApiOperation({ summary: 'Let the city move on without this district, with a recorded reason' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  waive(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, waiveDistrictPlanUpdate, body, key);
  }
}
