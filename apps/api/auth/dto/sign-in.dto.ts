import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import type { NoticeLocale } from '@kudak/calendar';
import { ROLES, type Role } from '@kudak/contracts';
import { SLUG, slugMessage } from '../../common/validation.decorators';
import type { DemoPerson, LocalizedName } from '../demo-people';

/** How the console signs people in: the local demo people, or an OpenID provider. */
export class AuthConfigDto {
  @ApiProperty({
    enum: ['local', 'oidc'],
    description:
      '`local`: pick a demo person (GET /auth/local/people, POST /auth/local/sessions); `oidc`: sign in at the issuer',
  })
  mode!: 'local' | 'oidc';

  @ApiPropertyOptional({ description: 'OpenID issuer (its discovery document is under it); oidc mode only' })
  issuer?: string;

  @ApiPropertyOptional({ description: "The console's public client id at the issuer; oidc mode, when configured" })
  clientId?: string;

  @ApiPropertyOptional({ description: 'Scopes to ask for, space-separated; oidc mode only' })
  scopes?: string;

  @ApiPropertyOptional({ description: 'The `aud` the API requires of access tokens; oidc mode only' })
  audience?: string;
}

export class LocalizedNameDto implements LocalizedName {
  @ApiProperty({ example: 'مریم احمدی' })
  fa!: string;

  @ApiProperty({ example: 'Maryam Ahmadi' })
  en!: string;
}

export class DemoPersonDto implements DemoPerson {
  @ApiProperty({ example: 'focal-point', description: "The token's subject" })
  id!: string;

  @ApiProperty({ type: LocalizedNameDto })
  name!: LocalizedNameDto;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ type: LocalizedNameDto })
  organisation!: LocalizedNameDto;

  @ApiProperty({ example: 'IR' })
  country!: string;

  @ApiProperty({ type: [String], example: ['isfahan'], description: "City ids, or ['*'] for every city" })
  cities!: string[];

  @ApiPropertyOptional({ type: [String], example: ['district-1'], description: "A district submitter's districts" })
  districts?: string[];
}

export const SIGN_IN_LOCALES = ['fa', 'en'] as const satisfies readonly NoticeLocale[];
export type SignInLocale = (typeof SIGN_IN_LOCALES)[number];

export class LocalSessionRequestDto {
  @ApiProperty({ example: 'focal-point', description: 'The id of a person from GET /auth/local/people' })
  @IsString()
  @Matches(SLUG, slugMessage('personId'))
  personId!: string;

  @ApiPropertyOptional({
    enum: SIGN_IN_LOCALES,
    default: 'fa',
    description: "The language of the person's name and organisation in the token, and so in what they decide",
  })
  @IsOptional()
  @IsIn(SIGN_IN_LOCALES, { message: `locale must be one of ${SIGN_IN_LOCALES.join(', ')}` })
  locale?: SignInLocale;
}

export class LocalSessionDto {
  @ApiProperty({ description: 'Bearer token (RS256 JWT) signed by the local key, as `npm run token` mints' })
  accessToken!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-29T08:00:00.000Z' })
  expiresAt!: string;

  @ApiProperty({ type: DemoPersonDto })
  person!: DemoPersonDto;
}
