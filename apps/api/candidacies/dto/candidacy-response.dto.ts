import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CANDIDACY_STAGES,
  type Actor,
  type Award,
  type CandidacyPolicy,
  type CandidacyStage,
  type CandidacyState,
  type DecisionRecord,
  type DistrictSummary,
  type EvaluationRecord,
  type FailedEffect,
  type Obligation,
  type OpenTask,
} from '@kudak/contracts';

const objects = (description: string) => ({ type: 'array', items: { type: 'object' }, description }) as const;

/** A candidacy's state as its workflow reports it (the query result), plus its workflow id. */
export class CandidacyResponseDto implements Partial<CandidacyState> {
  @ApiProperty({ example: 'candidacy-isfahan' })
  workflowId!: string;

  @ApiProperty() cityId!: string;
  @ApiProperty() cityName!: string;
  @ApiProperty() country!: string;

  @ApiProperty({ enum: CANDIDACY_STAGES })
  stage!: CandidacyStage;

  @ApiProperty({ description: '1 for the candidacy, 2+ for each renewal' })
  cycle!: number;

  @ApiProperty({ description: 'Whether a task, a district or an obligation is overdue' })
  overdue!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The policy recorded at start' })
  policy!: CandidacyPolicy;

  @ApiProperty(objects("Each district's plan status and deadline"))
  districts!: DistrictSummary[];

  @ApiProperty(objects('The MoU obligations ledger: who owes what to whom, by when'))
  obligations!: Obligation[];

  @ApiProperty(objects('Open tasks with their assignees and deadlines'))
  openTasks!: OpenTask[];

  @ApiProperty(objects('Evaluations so far in this cycle'))
  evaluations!: EvaluationRecord[];

  @ApiProperty(objects('Candidacy logo and recognitions'))
  awards!: Award[];

  @ApiProperty(objects("This cycle's decisions, each with its actor and reason"))
  decisions!: DecisionRecord[];

  @ApiProperty({ type: 'object', additionalProperties: true })
  startedBy!: Actor;

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time' })
  stageEnteredAt!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  closedAt?: string;

  @ApiPropertyOptional(objects('Records or notifications that failed for good (the administrators were alerted)'))
  failedEffects?: FailedEffect[];
}
