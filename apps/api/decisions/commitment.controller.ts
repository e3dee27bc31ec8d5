import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { DecisionDto, ReasonedDecisionDto } from './dto/decision.dto';

const { signMemorandum, withdrawCandidacy, appealDecision, reinstateCandidacy } = DECISIONS;

@ApiTags('candidacy decisions')
@Controller('candidacies/:cityId')
export class CommitmentController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute('memorandum', signMemorandum)
  signMemorandum(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: DecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, signMemorandum.update, body, key);
  }

  @DecisionRoute('withdrawal', withdrawCandidacy)
  withdraw(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, withdrawCandidacy.update, body, key);
  }

  @DecisionRoute('appeal', appealDecision)
  appeal(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, appealDecision.update, body, key);
  }

  @DecisionRoute('reinstatement', reinstateCandidacy)
  reinstate(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, reinstateCandidacy.update, body, key);
  }
}
