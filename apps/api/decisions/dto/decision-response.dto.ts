import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CANDIDACY_STAGES,
  DECISION_KINDS,
  ROLES,
  type Actor,
  type CandidacyStage,
  type DecisionKind,
} from '@kudak/contracts';

export class ActorDto implements Actor {
  @ApiProperty() id!: string;
  // A union type reflects as Object: without `enum` the document said "an object".
  @ApiProperty({ enum: ROLES }) role!: Actor['role'];
  @ApiProperty() organisation!: string;
  @ApiPropertyOptional() name?: string;
}

/** An accepted decision as the workflow recorded it. */
export class DecisionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: DECISION_KINDS }) kind!: DecisionKind;
  @ApiProperty({ enum: CANDIDACY_STAGES }) stage!: CandidacyStage;
  @ApiProperty({ type: ActorDto }) actor!: ActorDto;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
}
