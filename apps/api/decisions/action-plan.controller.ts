import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { ActionPlanInputDto, ReviewDto, SubmitActionPlanDto } from './dto/decision.dto';

const { recordActionPlanInput, submitActionPlan, reviewActionPlan } = DECISIONS;

@ApiTags('action plan')
@Controller('candidacies/:cityId/action-plan')
export class ActionPlanController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute('inputs', recordActionPlanInput)
  recordInput(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ActionPlanInputDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordActionPlanInput.update, body, key);
  }

  @DecisionRoute('submission', submitActionPlan)
  submit(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: SubmitActionPlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, submitActionPlan.update, body, key);
  }

  @DecisionRoute('review', reviewActionPlan)
  review(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReviewDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, reviewActionPlan.update, body, key);
  }
}
