import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { castCommitteeVoteUpdate, endorseCandidacyUpdate } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { CastVoteDto, EndorseDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('candidacy review')
@Controller('candidacies/:cityId')
export class CommitteeController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('committee/votes')
  @Roles('committee_member')
  @ApiOperation({ summary: 'Vote (or recuse) in the steering committee; one ballot per member' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  vote(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: CastVoteDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, castCommitteeVoteUpdate, body, key);
  }

  @Post('endorsement')
  @Roles('unicef_officer')
  @ApiOperation({ summary: "UNICEF's endorsement; the candidacy logo follows" })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  endorse(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: EndorseDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, endorseCandidacyUpdate, body, key);
  }
}
