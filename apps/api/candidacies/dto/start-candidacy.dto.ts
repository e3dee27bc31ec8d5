import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import {
  CANDIDACY_STAGES,
  CITY_ID_PATTERN,
  COUNTRY_CODE_PATTERN,
  durationProblem,
  ISO_DURATION_PATTERN,
  ROLES,
  type CandidacyStage,
  type DurationUnit,
  type PolicyDuration,
  type Role,
} from '@kudak/contracts';
import { DATE_TIME_DOC, IsDateTime } from '../../common/date-time';
import { NestedObject, SLUG, slugMessage } from '../../common/validation.decorators';

/** A required non-empty string of at most `maxLength` characters, as validated and as documented. */
const TEXT = (maxLength: number, example: string) => ({ example, minLength: 1, maxLength });

export class DistrictDto {
  @ApiProperty({ example: 'district-1', pattern: SLUG.source })
  @Matches(SLUG, slugMessage('id'))
  id!: string;

  @ApiProperty(TEXT(200, 'District 1'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;
}

export class ContactDto {
  @ApiProperty({ example: 'mayor-office', pattern: SLUG.source })
  @Matches(SLUG, slugMessage('id'))
  id!: string;

  @ApiProperty(TEXT(200, 'CFC focal point'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'focal.point@isfahan.example', format: 'email' })
  @IsOptional()
  @IsEmail()
  email?: string;

  @ApiProperty({ enum: ['fa', 'en'] })
  @IsIn(['fa', 'en'])
  locale!: 'fa' | 'en';

  @ApiPropertyOptional({
    description: 'For district submitters: their district (one of the districts)',
    pattern: SLUG.source,
  })
  @IsOptional()
  @Matches(SLUG, slugMessage('districtId'))
  districtId?: string;
}

export class ObligationDto {
  @ApiProperty({ example: 'unicef-funding', pattern: SLUG.source })
  @Matches(SLUG, slugMessage('id'))
  id!: string;

  @ApiProperty(TEXT(200, 'UNICEF'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  party!: string;

  @ApiProperty({ enum: ROLES, description: 'The role that answers for the party' })
  @IsIn(ROLES)
  partyRole!: Role;

  @ApiProperty(TEXT(200, 'Isfahan Municipality'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owedTo!: string;

  @ApiProperty(TEXT(4000, 'Dedicated CFC funding for the programme'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  description!: string;

  @ApiProperty(DATE_TIME_DOC)
  @IsDateTime()
  dueAt!: string;

  @ApiPropertyOptional({ enum: CANDIDACY_STAGES, description: 'A stage that cannot open until this is fulfilled' })
  @IsOptional()
  @IsIn(CANDIDACY_STAGES)
  gatesStage?: CandidacyStage;
}

export class CommitteeDto {
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: SLUG.source },
    minItems: 1,
    maxItems: 50,
    example: ['member-1', 'member-2', 'member-3'],
    description:
      "Not given: the ids of the contacts whose role is committee_member; if there are none, an open committee (any committee member the city's tokens cover may vote and evaluate, quorum 1)",
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(SLUG, { each: true, message: 'each committee member must be an id of lowercase letters, digits and dashes' })
  members?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    example: 2,
    description: 'At most the number of members (1 on an open committee); default 1',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  quorum?: number;
}

/** How OpenAPI describes a policy duration: whole units, or an ISO 8601 duration for rehearsals. */
const durationSchema = (unit: DurationUnit, least: number) => ({
  oneOf: [
    { type: 'integer', minimum: least, maximum: 3650, description: `whole ${unit}` },
    { type: 'string', format: 'duration', pattern: ISO_DURATION_PATTERN.source, example: 'PT5M' },
  ],
});

/** A policy duration: a whole number of `unit` (1-3650), or an ISO 8601 duration string. */
const Duration =
  (unit: DurationUnit) =>
  (target: object, key: string): void => {
    ApiPropertyOptional({
      ...durationSchema(unit, 1),
      description: `Whole ${unit}, or an ISO 8601 duration (e.g. "PT5M") for a rehearsal`,
    })(target, key);
    IsOptional()(target, key);
    ValidateBy({
      name: 'isPolicyDuration',
      validator: {
        validate: (value) => durationProblem(value, key, unit) === undefined,
        defaultMessage: (args) => durationProblem(args?.value, key, unit) ?? `${key} is invalid`,
      },
    })(target, key);
  };

/** Reminder or escalation offsets: days (0 = on the day) or ISO 8601 durations. */
const Offsets =
  (description: string) =>
  (target: object, key: string): void => {
    ApiPropertyOptional({ type: 'array', items: durationSchema('days', 0), maxItems: 10, description })(target, key);
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(10)(target, key);
    ValidateBy({
      name: 'isPolicyOffsets',
      validator: {
        validate: (value) =>
          Array.isArray(value) && value.every((v, i) => !durationProblem(v, `${key}.${i}`, 'days', true)),
        defaultMessage: (args) =>
          (Array.isArray(args?.value) ? (args.value as unknown[]) : [])
            .map((v, i) => durationProblem(v, `${key}.${i}`, 'days', true))
            .filter((p) => p !== undefined)
            .join('; '),
      },
    })(target, key);
  };

/** Overrides of the default policy; everything not given keeps the article's default. */
export class PolicyDto {
  @ApiPropertyOptional({ type: CommitteeDto })
  @IsOptional()
  @NestedObject(() => CommitteeDto)
  committee?: CommitteeDto;

  @Duration('days') districtPlanDays?: PolicyDuration;
  @Duration('days') districtResubmissionDays?: PolicyDuration;
  @Duration('months') actionPlanMonths?: PolicyDuration;
  @Duration('days') ministryReviewDays?: PolicyDuration;
  @Duration('days') committeeDecisionDays?: PolicyDuration;
  @Duration('days') unicefEndorsementDays?: PolicyDuration;
  @Duration('months') programmeMonths?: PolicyDuration;
  @Duration('months') evaluationIntervalMonths?: PolicyDuration;
  @Duration('days') evaluationWindowDays?: PolicyDuration;
  @Duration('days') correctiveActionDays?: PolicyDuration;
  @Duration('days') finalAssessmentDays?: PolicyDuration;
  @Duration('years') recognitionYears?: PolicyDuration;
  @Duration('months') renewalLeadMonths?: PolicyDuration;
  @Duration('days') appealWindowDays?: PolicyDuration;
  @Offsets('Reminders this long before every deadline; default 7 and 1 days')
  reminderDaysBefore?: PolicyDuration[];
  @Offsets('Escalations this long after every deadline (0: on the day); default 0 and 7 days')
  escalationDaysAfter?: PolicyDuration[];
}

export class StartCandidacyDto {
  @ApiProperty({
    example: 'isfahan',
    description: 'Stable city id; the candidacy is keyed by it.',
    pattern: CITY_ID_PATTERN.source,
  })
  @Matches(CITY_ID_PATTERN, { message: 'cityId must be 2-63 lowercase letters, digits and dashes' })
  cityId!: string;

  @ApiProperty(TEXT(200, 'Isfahan'))
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  cityName!: string;

  @ApiProperty({ example: 'IR', description: 'ISO 3166-1 alpha-2 country code', pattern: COUNTRY_CODE_PATTERN.source })
  @Matches(COUNTRY_CODE_PATTERN, { message: 'country must be an ISO 3166-1 alpha-2 code such as IR' })
  country!: string;

  @ApiProperty({ type: [DistrictDto], minItems: 1, maxItems: 100, description: 'Each id once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @NestedObject(() => DistrictDto, { each: true })
  districts!: DistrictDto[];

  @ApiPropertyOptional({ type: [ContactDto], maxItems: 500, description: 'Who is notified; default none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @NestedObject(() => ContactDto, { each: true })
  contacts?: ContactDto[];

  @ApiPropertyOptional({
    type: [ObligationDto],
    maxItems: 200,
    description: "The MoU's commitments for every party; each id once",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @NestedObject(() => ObligationDto, { each: true })
  obligations?: ObligationDto[];

  @ApiPropertyOptional({ type: PolicyDto, description: 'Overrides of the default policy' })
  @IsOptional()
  @NestedObject(() => PolicyDto)
  policy?: PolicyDto;
}
