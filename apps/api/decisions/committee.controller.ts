import { Body, Controller, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DECISIONS } from '@kudak/contracts';
import { CurrentIdentity } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionRoute } from './decision-route.decorator';
import { DecisionsService } from './decisions.service';
import { CastVoteDto, EndorseDto } from './dto/decision.dto';

const { castCommitteeVote, endorseCandidacy } = DECISIONS;

@ApiTags('candidacy review')
@Controller('candidacies/:cityId')
export class CommitteeController {
  constructor(private readonly decisions: DecisionsService) {}

  @DecisionRoute('committee/votes', castCommitteeVote)
  vote(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: CastVoteDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, castCommitteeVote.update, body, key);
  }

  @DecisionRoute('endorsement', endorseCandidacy)
  endorse(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: EndorseDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, endorseCandidacy.update, body, key);
  }
}
