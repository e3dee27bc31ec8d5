import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { DistrictParams } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { ReasonedDecisionDto, ReviewDto, SubmitDistrictPlanDto } from './dto/decision.dto';

const { submitDistrictPlan, reviewDistrictPlan, waiveDistrictPlan } = DECISIONS;

@ApiTags('district plans')
@Controller('candidacies/:cityId/districts/:districtId')
export class DistrictPlansController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute('plan', submitDistrictPlan)
  submit(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: SubmitDistrictPlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, submitDistrictPlan.update, body, key);
  }

  @DecisionRoute('review', reviewDistrictPlan)
  review(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: ReviewDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, reviewDistrictPlan.update, body, key);
  }

  @DecisionRoute('waiver', waiveDistrictPlan)
  waive(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, districtId }: DistrictParams,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId, districtId }, waiveDistrictPlan.update, body, key);
  }
}
