import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LocalizedTextDto } from '../../common/localized-text.dto';
import { ActorDto } from '../../decisions/dto/decision-response.dto';
import { TIMELINE_KINDS, type TimelineKind } from '@kudak/contracts';

export class TimelineEntryDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() eventId!: number;
  @ApiProperty({ enum: TIMELINE_KINDS }) kind!: TimelineKind;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: '1405/09/07' }) atSolarHijri!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiPropertyOptional() stage?: string;
  @ApiPropertyOptional({ type: ActorDto }) actor?: ActorDto;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty() summary!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiProperty({ type: LocalizedTextDto, description: "The line's instant in both calendars" })
  when!: LocalizedTextDto;
  @ApiProperty({
    type: LocalizedTextDto,
    description: 'The line as people read it: its instant, then its summary with every date in both calendars',
  })
  readable!: LocalizedTextDto;
}

export class TimelinePageDto {
  @ApiProperty() total!: number;
  @ApiProperty() offset!: number;
  @ApiProperty({ type: [TimelineEntryDto] }) entries!: TimelineEntryDto[];
}

export class RawHistoryDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The history as `temporal workflow show -o json` prints it',
  })
  history!: Record<string, unknown>;
}

export class AuditProblemDto {
  @ApiProperty({ enum: ['EDITED', 'DELETED', 'REORDERED', 'INSERTED', 'BROKEN_CHAIN', 'MISSING'] }) kind!: string;
  @ApiProperty({ description: "The row's position in the stored log (0-based)" }) position!: number;
  @ApiProperty() detail!: string;
}

export class DocumentProblemDto {
  @ApiProperty() sha256!: string;
  @ApiProperty({
    enum: ['MISSING', 'CONTENT_CHANGED'],
    description: 'The stored bytes are gone, or no longer hash to the SHA-256 they were stored under',
  })
  problem!: 'MISSING' | 'CONTENT_CHANGED';
}

export class AuditVerificationDto {
  @ApiProperty({ description: 'The log matches the history and every stored document matches its hash' })
  ok!: boolean;
  @ApiProperty() storedRows!: number;
  @ApiProperty() expectedRows!: number;
  @ApiProperty({ type: [AuditProblemDto] }) problems!: AuditProblemDto[];
  @ApiProperty({
    description:
      "Entries of the history appended by this verification before it compared: the log was an untouched prefix of the history's",
  })
  appendedRows!: number;
  @ApiProperty({
    type: [DocumentProblemDto],
    description: 'Documents uploaded for the city whose stored bytes are lost or altered',
  })
  documents!: DocumentProblemDto[];
}

export class ReplayedRunDto {
  @ApiProperty() workflowId!: string;
  @ApiProperty() runId!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() error?: string;
}

export class ReplayReportDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: [ReplayedRunDto] }) replayed!: ReplayedRunDto[];
  @ApiPropertyOptional({ type: ReplayedRunDto }) firstDivergence?: ReplayedRunDto;
}
