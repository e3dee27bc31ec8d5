import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import {
  ACTION_PLAN_INPUT_SOURCES,
  DECISIONS,
  MAX_DOCUMENTS_PER_DECISION,
  SCORE_RANGE,
  TEXT_MAX_LENGTH,
  VOTES,
  type ActionPlanInputSource,
  type Vote,
} from '@kudak/contracts';
import { ObligationDto } from '../../candidacies/dto/start-candidacy.dto';
import { DocumentReferenceDto } from '../../documents/dto/document.dto';
import { NestedObject, OptionalText, Text } from '../../common/validation.decorators';

// Request bodies of the decisions. The actor is never in a body: it comes from the token. Their
// limits are the decision table's (DECISIONS), which the workflows' validators apply too.

const { submitDistrictPlan, recordActionPlanInput, submitActionPlan, recordEvaluation, submitCorrectivePlan } =
  DECISIONS;

const Score = () => (target: object, key: string) => {
  ApiProperty({ type: 'integer', minimum: SCORE_RANGE.min, maximum: SCORE_RANGE.max })(target, key);
  IsInt()(target, key);
  Min(SCORE_RANGE.min)(target, key);
  Max(SCORE_RANGE.max)(target, key);
};

/** A decision that may carry a reason. */
export class DecisionDto {
  @OptionalText(TEXT_MAX_LENGTH, 'Why; required where the decision needs one (returns, rejections, waivers...)')
  reason?: string;
}

/** A decision that must say why. */
export class ReasonedDecisionDto {
  @Text(TEXT_MAX_LENGTH, 'Council vote of 12 May')
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
  @NestedObject(() => DocumentReferenceDto, { each: true })
  documents?: DocumentReferenceDto[];
}

export class AddObligationDto extends DecisionDto {
  @ApiProperty({ type: ObligationDto })
  @NestedObject(() => ObligationDto)
  obligation!: ObligationDto;
}

export class FulfilObligationDto extends DocumentedDecisionDto {
  @Text(DECISIONS.fulfilObligation.limits.evidence, 'Bank transfer 2026/114') evidence!: string;
}

export class SubmitDistrictPlanDto extends DocumentedDecisionDto {
  @Text(submitDistrictPlan.limits.summary, 'Play streets and safe routes to school') summary!: string;

  @ApiPropertyOptional({
    example: 'https://isfahan.example/plans/district-1.pdf',
    format: 'uri',
    maxLength: submitDistrictPlan.limits.documentUrl,
    description: 'An absolute URL with its protocol',
  })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  @MaxLength(submitDistrictPlan.limits.documentUrl)
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

  @Text(recordActionPlanInput.limits.party, "Children's city council") party!: string;
  @Text(recordActionPlanInput.limits.summary, 'Deliberation session of 3 Azar') summary!: string;
}

export class SubmitActionPlanDto extends DocumentedDecisionDto {
  @Text(submitActionPlan.limits.summary, 'Operational plan 1405') summary!: string;
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
  @Text(recordEvaluation.limits['scores.localIndicators.name'], 'Safe routes to school') name!: string;
  @Score() score!: number;
}

export class ScoresDto {
  @Score() resultsForChildren!: number;
  @Score() childParticipation!: number;
  @Score() nonDiscrimination!: number;

  @ApiProperty({ type: [LocalIndicatorDto], maxItems: recordEvaluation.limits['scores.localIndicators'] })
  @IsArray()
  @ArrayMaxSize(recordEvaluation.limits['scores.localIndicators'])
  @NestedObject(() => LocalIndicatorDto, { each: true })
  localIndicators!: LocalIndicatorDto[];
}

export class RecordEvaluationDto extends DocumentedDecisionDto {
  @ApiProperty({ type: ScoresDto })
  @NestedObject(() => ScoresDto)
  scores!: ScoresDto;
}

export class SubmitCorrectivePlanDto extends DocumentedDecisionDto {
  @Text(submitCorrectivePlan.limits.plan, 'Monthly children council sessions') plan!: string;
}

export class RecordFinalAssessmentDto extends DocumentedDecisionDto {
  @ApiProperty() @IsBoolean() demonstratedResults!: boolean;
  @ApiProperty() @IsBoolean() childParticipation!: boolean;
  @ApiProperty() @IsBoolean() nonDiscrimination!: boolean;
}
