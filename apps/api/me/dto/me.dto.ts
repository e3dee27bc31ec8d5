import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  CANDIDACY_STAGES,
  CITY_ID_PATTERN,
  ROLES,
  TASK_KINDS,
  type CandidacyStage,
  type Role,
  type TaskKind,
} from '@kudak/contracts';
import { DATE_TIME_DOC, IsDateTime } from '../../common/date-time';
import { LocalizedTextDto } from '../../common/localized-text.dto';
import { SLUG, slugMessage } from '../../common/validation.decorators';

export class MyTaskDto {
  @ApiProperty() cityId!: string;
  @ApiProperty({ description: 'The name the candidacy was started with' }) cityName!: string;
  @ApiProperty({ description: 'The workflow that waits for the decision' }) workflowId!: string;
  @ApiPropertyOptional() districtId?: string;
  @ApiPropertyOptional({ description: 'For an obligation to fulfil: which one' }) obligationId?: string;
  @ApiProperty() taskId!: string;
  @ApiProperty({ enum: TASK_KINDS }) kind!: TaskKind;
  @ApiProperty({ enum: CANDIDACY_STAGES }) stage!: CandidacyStage;
  @ApiProperty({ enum: ROLES, description: 'The role that answers for it' }) assigneeRole!: Role;
  @ApiProperty({ enum: ROLES, isArray: true, description: 'Every role it waits for (one or more)' })
  assigneeRoles!: Role[];
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) dueAt?: string;
  @ApiPropertyOptional({
    type: LocalizedTextDto,
    description: 'The deadline as people read it: both calendars, Solar Hijri first in Persian',
  })
  due?: LocalizedTextDto;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({
    format: 'date-time',
    description:
      "Workflow time of the state this line shows (the read model's as-of time; it trails the workflow by the projection's delay)",
  })
  updatedAt!: string;
}

export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

/** A page of my tasks, soonest deadline first, optionally narrowed. */
export class MyTasksQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'isfahan', pattern: CITY_ID_PATTERN.source })
  @IsOptional()
  @Matches(CITY_ID_PATTERN, { message: 'city must be 2-63 lowercase letters, digits and dashes' })
  city?: string;

  @ApiPropertyOptional({ example: 'district-1', pattern: SLUG.source })
  @IsOptional()
  @Matches(SLUG, slugMessage('districtId'))
  districtId?: string;

  @ApiPropertyOptional({ description: 'Only tasks past (true) or within (false) their deadline' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ ...DATE_TIME_DOC, description: 'Only tasks due before this instant' })
  @IsOptional()
  @IsDateTime()
  dueBefore?: string;
}

export class MyNotificationDto {
  @ApiProperty() id!: number;
  @ApiProperty() cityId!: string;
  @ApiProperty() workflowId!: string;
  @ApiProperty() template!: string;
  @ApiProperty({ enum: ['fa', 'en'] }) locale!: 'fa' | 'en';
  @ApiProperty() subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) readAt?: string;
}

export class MyNotificationsDto {
  @ApiProperty({ type: [MyNotificationDto], description: 'A page of the inbox, newest first' })
  items!: MyNotificationDto[];
  @ApiProperty({ description: "How many of the inbox's notifications (on every page) are unread" })
  unreadCount!: number;
}

export class NotificationIdParam {
  // The id column is a 32-bit integer: a larger id would be a database error, not a 404.
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2_147_483_647 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  id!: number;
}
