import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CandidaciesService } from './candidacies.service';
import { CandidacyResponseDto } from './dto/candidacy-response.dto';
import { StartCandidacyDto } from './dto/start-candidacy.dto';
import { CityIdParam } from './dto/city-id.param';

const UNAUTHENTICATED_API_ACTOR = { id: 'kudak-api', role: 'administrator', organisation: 'Kudak API' } as const;

@ApiTags('candidacies')
@Controller('candidacies')
export class CandidaciesController {
  constructor(private readonly candidacies: CandidaciesService) {}

  @Post()
  @ApiCreatedResponse({ type: CandidacyResponseDto })
  @ApiConflictResponse({ description: 'The city already has a candidacy' })
  start(@Body() dto: StartCandidacyDto): Promise<CandidacyResponseDto> {
    // Identity comes from authentication (issue 4); until then starts are attributed to the API.
    return this.candidacies.start(dto, UNAUTHENTICATED_API_ACTOR);
  }

  @Get(':cityId')
  @ApiOkResponse({ type: CandidacyResponseDto })
  @ApiNotFoundResponse({ description: 'No candidacy for this city' })
  get(@Param() { cityId }: CityIdParam): Promise<CandidacyResponseDto> {
    return this.candidacies.get(cityId);
  }
}
