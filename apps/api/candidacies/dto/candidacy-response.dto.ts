import { ApiProperty } from '@nestjs/swagger';
import { CANDIDACY_STAGES, type CandidacyStage } from '@kudak/contracts';
import { DistrictDto } from './start-candidacy.dto';

export class CandidacyResponseDto {
  @ApiProperty({ example: 'candidacy-isfahan' })
  workflowId!: string;

  @ApiProperty()
  cityId!: string;

  @ApiProperty()
  cityName!: string;

  @ApiProperty()
  country!: string;

  @ApiProperty({ enum: CANDIDACY_STAGES })
  stage!: CandidacyStage;

  @ApiProperty({ type: [DistrictDto] })
  districts!: DistrictDto[];

  @ApiProperty()
  startedBy!: string;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;
}
