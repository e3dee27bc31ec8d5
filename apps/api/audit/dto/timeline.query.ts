import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { TIMELINE_KINDS, type TimelineKind } from '@kudak/contracts';
import { SLUG, slugMessage } from '../../common/validation.decorators';
import { PageQuery } from '../../me/dto/me.dto';

/** A page of the timeline, narrowed to some kinds of line and to one district. */
export class TimelineQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: TIMELINE_KINDS,
    isArray: true,
    description: 'Only lines of these kinds: the parameter repeated (`kind=DECISION&kind=AWARD`) or comma-separated',
  })
  @IsOptional()
  // One value or a repeated parameter, each possibly a comma-separated list.
  @Transform(({ value }: { value: unknown }) =>
    value === undefined
      ? value
      : (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])),
  )
  @IsIn(TIMELINE_KINDS, { each: true, message: `kind must be one or more of ${TIMELINE_KINDS.join(', ')}` })
  kind?: TimelineKind[];

  @ApiPropertyOptional({
    example: 'district-1',
    pattern: SLUG.source,
    description: "Only the lines of this district: its plan's workflow, and the candidacy's lines about it",
  })
  @IsOptional()
  @Matches(SLUG, slugMessage('districtId'))
  districtId?: string;
}
