import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam, ObligationParams } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { AddObligationDto, FulfilObligationDto } from './dto/decision.dto';

const { addObligation, fulfilObligation } = DECISIONS;

@ApiTags('obligations')
@Controller('candidacies/:cityId/obligations')
export class ObligationsController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute(undefined, addObligation)
  add(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: AddObligationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, addObligation.update, body, key);
  }

  /** Administrators, or the role that answers for the owing party (the workflow checks which). */
  @DecisionRoute(':obligationId/fulfilment', fulfilObligation)
  fulfil(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, obligationId }: ObligationParams,
    @Body() body: FulfilObligationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, fulfilObligation.update, { ...body, obligationId }, key);
  }
}
