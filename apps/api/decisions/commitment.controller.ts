import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  appealDecisionUpdate,
  reinstateCandidacyUpdate,
  signMemorandumUpdate,
  withdrawCandidacyUpdate,
} from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { DecisionDto, ReasonedDecisionDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('candidacy decisions')
@Controller('candidacies/:cityId')
export class CommitmentController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post('memorandum')
  @Roles('administrator')
  @ApiOperation({ summary: 'Record the signed MoU; district planning opens' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  signMemorandum(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: DecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, signMemorandumUpdate, body, key);
  }

  @Post('withdrawal')
  @Roles('administrator')
  @ApiOperation({ summary: 'Withdraw the city from the candidacy (any stage)' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  withdraw(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, withdrawCandidacyUpdate, body, key);
  }

  @Post('appeal')
  @Roles('administrator')
  @ApiOperation({ summary: 'Appeal a rejection within the appeal window' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  appeal(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, appealDecisionUpdate, body, key);
  }

  @Post('reinstatement')
  @Roles('ministry_officer')
  @ApiOperation({ summary: 'Reinstate a suspended candidacy' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  reinstate(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: ReasonedDecisionDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, reinstateCandidacyUpdate, body, key);
  }
}
