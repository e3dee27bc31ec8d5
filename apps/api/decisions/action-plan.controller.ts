import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { recordActionPlanInputUpdate, reviewActionPlanUpdate, submitActionPlanUpdate } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { ActionPlanInputDto, ReviewDto, SubmitActionPlanDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('action plan')
@Controller('candidacies/:cityId/action-plan')
export class ActionPlanController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('inputs')
  @Roles('administrator')
  @ApiOperation({ summary: "Record an input from a partner body, the think tank or the children's council" })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  recordInput(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ActionPlanInputDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, recordActionPlanInputUpdate, body, key);
  }

  @Post('submission')
  @Roles('administrator')
  @ApiOperation({ summary: 'Send the action plan to the Ministry of Interior' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  submit(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: SubmitActionPlanDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, submitActionPlanUpdate, body, key);
  }

  @Post('review')
  @Roles('ministry_officer')
  @ApiOperation({ summary: "The Ministry's review: approve, or return with a reason" })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  review(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReviewDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, reviewActionPlanUpdate, body, key);
  }
}
