import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { addObligationUpdate, fulfilObligationUpdate } from '@kudak/contracts';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { CityIdParam, ObligationParams } from '../candidacies/dto/city-id.param';
import { ApiDecision } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { DecisionsService } from './decisions.service';
import { AddObligationDto, FulfilObligationDto } from './dto/decision.dto';
import { DecisionResponseDto } from './dto/decision-response.dto';

@ApiTags('obligations')
@Controller('candidacies/:cityId/obligations')
export class ObligationsController {
  constructor(private readonly decisions: DecisionsService) {}

  @Post()
  @Roles('administrator')
  @ApiOperation({ summary: 'Add an MoU obligation to the ledger' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  add(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId }: CityIdParam,
    @Body() body: AddObligationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, addObligationUpdate, body, key);
  }

  /** Administrators, or the role that answers for the owing party (the workflow checks which). */
  @Post(':obligationId/fulfilment')
  @Roles('administrator', 'district_submitter', 'reviewer', 'committee_member', 'ministry_officer', 'unicef_officer')
  @ApiOperation({ summary: 'Record an obligation fulfilled, with evidence' })
  @ApiDecision()
  @ApiCreatedResponse({ type: DecisionResponseDto })
  fulfil(
    @CurrentIdentity() identity: Identity,
    @Param() { cityId, obligationId }: ObligationParams,
    @Body() body: FulfilObligationDto,
    @IdempotencyKey() key?: string,
  ) {
    return this.decisions.decide(identity, { cityId }, fulfilObligationUpdate, { ...body, obligationId }, key);
  }
}
