import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { CANDIDACY_STAGES, CITY_ID_PATTERN, COUNTRY_CODE_PATTERN, type CandidacyStage } from '@kudak/contracts';
import { DATE_TIME_DOC, IsDateTime } from '../../common/date-time';

const PAGE_TOKEN_PATTERN = /^[A-Za-z0-9_-]+$/;

export class ListCandidaciesQuery {
  @ApiPropertyOptional({ enum: CANDIDACY_STAGES })
  @IsOptional()
  @IsIn(CANDIDACY_STAGES)
  stage?: CandidacyStage;

  @ApiPropertyOptional({ example: 'isfahan', pattern: CITY_ID_PATTERN.source })
  @IsOptional()
  @Matches(CITY_ID_PATTERN, { message: 'city must be 2-63 lowercase letters, digits and dashes' })
  city?: string;

  @ApiPropertyOptional({ example: 'IR', pattern: COUNTRY_CODE_PATTERN.source })
  @IsOptional()
  @Matches(COUNTRY_CODE_PATTERN, { message: 'country must be an ISO 3166-1 alpha-2 code such as IR' })
  country?: string;

  @ApiPropertyOptional({ description: 'Only candidacies with (true) or without (false) something overdue' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ ...DATE_TIME_DOC, description: 'Only candidacies started at or after this instant' })
  @IsOptional()
  @IsDateTime()
  startedAfter?: string;

  @ApiPropertyOptional({ ...DATE_TIME_DOC, description: 'Only candidacies started before this instant' })
  @IsOptional()
  @IsDateTime()
  startedBefore?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;

  @ApiPropertyOptional({
    description: 'nextPageToken of the previous page',
    pattern: PAGE_TOKEN_PATTERN.source,
    maxLength: 4000,
  })
  @IsOptional()
  @Matches(PAGE_TOKEN_PATTERN, { message: 'pageToken must be a token returned by a previous page' })
  @MaxLength(4000)
  pageToken?: string;
}

export class CandidacySummaryDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() cityId!: string;
  @ApiProperty() cityName!: string;
  @ApiProperty() country!: string;
  @ApiProperty({ enum: CANDIDACY_STAGES }) stage!: CandidacyStage;
  @ApiProperty({ description: '1 for the candidacy, 2+ for each renewal' }) cycle!: number;
  @ApiProperty({ description: 'Whether a task, a district or an obligation is overdue' }) overdue!: boolean;
  @ApiPropertyOptional({ format: 'date-time', description: 'The soonest open deadline' }) nextDueAt?: string;
  @ApiProperty({
    enum: ['RUNNING', 'COMPLETED'],
    description: 'RUNNING until the candidacy closes (a renewal runs on)',
  })
  status!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({
    format: 'date-time',
    description:
      "Workflow time of the state this line shows (the read model's as-of time; it trails the workflow by the projection's delay)",
  })
  updatedAt!: string;
}

export class CandidacyPageDto {
  @ApiProperty({ type: [CandidacySummaryDto] }) items!: CandidacySummaryDto[];
  @ApiPropertyOptional({ description: 'Pass as pageToken for the next page; absent on the last page' })
  nextPageToken?: string;
}
