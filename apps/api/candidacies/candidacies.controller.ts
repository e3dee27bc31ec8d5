import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentIdentity, Roles } from '../auth/auth.decorators';
import type { Identity } from '../auth/identity';
import { ApiAuthenticated, ApiCandidacyNotFound, ApiIdempotent } from '../common/api-errors.decorator';
import { IdempotencyKey } from '../common/idempotency-key';
import { CandidaciesService } from './candidacies.service';
import { CandidacyResponseDto } from './dto/candidacy-response.dto';
import { CityIdParam } from './dto/city-id.param';
import { CandidacyPageDto, ListCandidaciesQuery } from './dto/list-candidacies.query';
import { StartCandidacyDto } from './dto/start-candidacy.dto';

@ApiTags('candidacies')
@ApiAuthenticated()
@Controller('candidacies')
export class CandidaciesController {
  constructor(private readonly candidacies: CandidaciesService) {}

  @Post()
  @Roles('administrator')
  @ApiOperation({ summary: "Start a city's candidacy" })
  @ApiIdempotent('A repeat by the same caller returns the first answer and starts nothing')
  @ApiCreatedResponse({ type: CandidacyResponseDto })
  @ApiConflictResponse({ description: 'The city already has a candidacy' })
  start(
    @CurrentIdentity() identity: Identity,
    @Body() dto: StartCandidacyDto,
    @IdempotencyKey() key?: string,
  ): Promise<CandidacyResponseDto> {
    return this.candidacies.start(dto, identity, key);
  }

  @Get()
  @ApiOperation({ summary: "List candidacies in the caller's scope, filtered and paginated" })
  @ApiOkResponse({ type: CandidacyPageDto })
  list(@CurrentIdentity() identity: Identity, @Query() query: ListCandidaciesQuery): Promise<CandidacyPageDto> {
    return this.candidacies.list(identity, query);
  }

  @Get(':cityId')
  @ApiOperation({ summary: "A candidacy's full state" })
  @ApiOkResponse({ type: CandidacyResponseDto })
  @ApiCandidacyNotFound()
  get(@CurrentIdentity() identity: Identity, @Param() { cityId }: CityIdParam): Promise<CandidacyResponseDto> {
    return this.candidacies.get(identity, cityId);
  }
}
