import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ACTION_PLAN_INPUT_SOURCES,
  MAX_DOCUMENTS_PER_DECISION,
  VOTES,
  type ActionPlanInputSource,
  type Vote,
} from '@kudak/contracts';
import { ObligationDto } from '../../candidacies/dto/start-candidacy.dto';
import { DocumentReferenceDto } from '../../documents/dto/document.dto';
import { OptionalText, Text } from '../../common/validation.decorators';

// Request bodies of the decisions. The actor is never in a body: it comes from the token.

const Score = () => (target: object, key: string) => {
  ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })(target, key);
  IsInt()(target, key);
  Min(1)(target, key);
  Max(5)(target, key);
};

/** A decision that may carry a reason. */
export class DecisionDto {
  @OptionalText(4000, 'Why; required where the decision needs one (returns, rejections, waivers...)')
  reason?: string;
}

/** A decision that must say why. */
export class ReasonedDecisionDto {
  @Text(4000, 'Council vote of 12 May')
  reason!: string;
}

/** A decision that may rest on documents uploaded for the candidacy (POST .../documents). */
export class DocumentedDecisionDto extends DecisionDto {
  @ApiPropertyOptional({
    type: [DocumentReferenceDto],
    maxItems: MAX_DOCUMENTS_PER_DECISION,
    uniqueItems: true,
    description: 'Documents uploaded for this city, by SHA-256 (each at most once); recorded with the decision',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DOCUMENTS_PER_DECISION)
  @ArrayUnique((d: DocumentReferenceDto) => d?.sha256, { message: 'documents must not name a document twice' })
  @ValidateNested({ each: true })
  @Type(() => DocumentReferenceDto)
  documents?: DocumentReferenceDto[];
}

export class AddObligationDto extends DecisionDto {
  @ApiProperty({ type: ObligationDto })
  @ValidateNested()
  @Type(() => ObligationDto)
  obligation!: ObligationDto;
}

export class FulfilObligationDto extends DocumentedDecisionDto {
  @Text(4000, 'Bank transfer 2026/114') evidence!: string;
}

export class SubmitDistrictPlanDto extends DocumentedDecisionDto {
  @Text(4000, 'Play streets and safe routes to school') summary!: string;

  @ApiPropertyOptional({
    example: 'https://isfahan.example/plans/district-1.pdf',
    format: 'uri',
    maxLength: 2000,
    description: 'An absolute URL with its protocol',
  })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(2000)
  documentUrl?: string;
}

export class ReviewDto extends DecisionDto {
  @ApiProperty({ enum: ['APPROVE', 'RETURN'] })
  @IsIn(['APPROVE', 'RETURN'])
  decision!: 'APPROVE' | 'RETURN';
}

export class ActionPlanInputDto extends DecisionDto {
  @ApiProperty({ enum: ACTION_PLAN_INPUT_SOURCES })
  @IsIn(ACTION_PLAN_INPUT_SOURCES)
  source!: ActionPlanInputSource;

  @Text(200, "Children's city council") party!: string;
  @Text(4000, 'Deliberation session of 3 Azar') summary!: string;
}

export class SubmitActionPlanDto extends DocumentedDecisionDto {
  @Text(4000, 'Operational plan 1405') summary!: string;
}

export class CastVoteDto extends DecisionDto {
  @ApiPropertyOptional({ enum: VOTES, description: 'Omit when recusing' })
  @IsOptional()
  @IsIn(VOTES)
  vote?: Vote;

  @ApiPropertyOptional({ description: 'Recuse instead of voting (a reason is required)' })
  @IsOptional()
  @IsBoolean()
  recuse?: boolean;
}

export class EndorseDto extends DecisionDto {
  @ApiProperty({ enum: ['ENDORSE', 'DECLINE'] })
  @IsIn(['ENDORSE', 'DECLINE'])
  decision!: 'ENDORSE' | 'DECLINE';
}

export class LocalIndicatorDto {
  @Text(200, 'Safe routes to school') name!: string;
  @Score() score!: number;
}

export class ScoresDto {
  @Score() resultsForChildren!: number;
  @Score() childParticipation!: number;
  @Score() nonDiscrimination!: number;

  @ApiProperty({ type: [LocalIndicatorDto], maxItems: 20 })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LocalIndicatorDto)
  localIndicators!: LocalIndicatorDto[];
}

export class RecordEvaluationDto extends DocumentedDecisionDto {
  @ApiProperty({ type: ScoresDto })
  @ValidateNested()
  @Type(() => ScoresDto)
  scores!: ScoresDto;
}

export class SubmitCorrectivePlanDto extends DocumentedDecisionDto {
  @Text(4000, 'Monthly children council sessions') plan!: string;
}

export class RecordFinalAssessmentDto extends DocumentedDecisionDto {
  @ApiProperty() @IsBoolean() demonstratedResults!: boolean;
  @ApiProperty() @IsBoolean() childParticipation!: boolean;
  @ApiProperty() @IsBoolean() nonDiscrimination!: boolean;
}
