import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { KudakConfig } from '@kudak/config';
import type { DemoPerson } from './demo-people';
import type { AuthConfigDto, LocalSessionDto, SignInLocale } from './dto/sign-in.dto';
import { DEFAULT_TTL, mintLocalToken } from './mint-token';

/** The demo people, checked once when the API starts (a bad seed file stops it there). */
export const DEMO_PEOPLE = Symbol('DEMO_PEOPLE');

/**
 * How the console signs in. In the embedded default it signs a demo person in with the local key,
 * as `npm run token` would; with an identity provider configured (always so in production) only
 * the provider's tokens count, and local sign-in is refused.
 */
@Injectable()
export class LocalSessionsService {
  constructor(
    private readonly config: KudakConfig,
    @Inject(DEMO_PEOPLE) private readonly people: DemoPerson[],
  ) {}

  authConfig(): AuthConfigDto {
    const { mode, issuer, clientId, scopes, audience } = this.config.auth;
    if (mode === 'local') return { mode: 'local' };
    return { mode: 'oidc', issuer, ...(clientId ? { clientId } : {}), scopes, audience };
  }

  listPeople(): DemoPerson[] {
    if (this.refusal()) throw new NotFoundException('local sign-in is not available: sign in at the identity provider');
    return this.people;
  }

  async startSession(personId: string, asked?: SignInLocale | null): Promise<LocalSessionDto> {
    const locale = asked ?? 'fa'; // null too: @IsOptional lets it through
    const refusal = this.refusal();
    if (refusal) throw new ForbiddenException(refusal);
    const person = this.people.find((p) => p.id === personId);
    if (!person) {
      throw new BadRequestException([`personId "${personId}" is not one of the demo people (GET /auth/local/people)`]);
    }
    const accessToken = await mintLocalToken(
      {
        role: person.role,
        country: person.country,
        cities: person.cities,
        ...(person.districts ? { districts: person.districts } : {}),
        sub: person.id,
        // As an identity provider would, in the person's language: decisions record them so.
        org: person.organisation[locale],
        name: person.name[locale],
        ttl: DEFAULT_TTL,
      },
      this.config,
    );
    const { exp } = decodeJwt(accessToken);
    return { accessToken, expiresAt: new Date(exp! * 1000).toISOString(), person };
  }

  /** Why local sign-in is off, or undefined when it is on. */
  private refusal(): string | undefined {
    if (this.config.env === 'production') {
      return 'local sign-in is not available in production: sign in at the identity provider';
    }
    if (this.config.auth.mode !== 'local') {
      return 'local sign-in is off because AUTH_JWKS_URL names an identity provider: sign in there';
    }
    return undefined;
  }
}
