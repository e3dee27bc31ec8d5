import { CITY_ID_PATTERN, COUNTRY_CODE_PATTERN, ROLES, type Role } from '@kudak/contracts';
import { SLUG } from '../common/validation.decorators';
import { isRole, KUDAK_CLAIM, type Identity, type KudakClaim } from './identity';

/** A claim that does not describe a Kudak identity; `reason` is safe to show the caller. */
export class InvalidIdentityClaimError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidIdentityClaimError';
  }
}

/**
 * Checks Kudak's private claim. Shared by the verifier and the token minter, so a minted token is
 * never one the API would refuse.
 */
export function parseKudakClaim(value: unknown): KudakClaim {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidIdentityClaimError(`token has no "${KUDAK_CLAIM}" claim`);
  }
  const claim = value as Record<string, unknown>;
  if (!isRole(claim.role)) {
    throw new InvalidIdentityClaimError(`token role is not one of ${ROLES.join(', ')}`);
  }
  if (typeof claim.org !== 'string' || claim.org.trim() === '') {
    throw new InvalidIdentityClaimError('token organisation (org) is missing');
  }
  if (typeof claim.country !== 'string' || !COUNTRY_CODE_PATTERN.test(claim.country)) {
    throw new InvalidIdentityClaimError('token country must be an ISO 3166-1 alpha-2 code such as IR');
  }
  if (!isCityList(claim.cities)) {
    throw new InvalidIdentityClaimError('token cities must be a non-empty list of city ids, or ["*"]');
  }
  if (claim.name !== undefined && (typeof claim.name !== 'string' || claim.name.trim() === '')) {
    throw new InvalidIdentityClaimError('token name must be a non-empty string when present');
  }
  const districts = parseDistricts(claim.role, claim.districts);
  return {
    role: claim.role,
    org: claim.org,
    country: claim.country,
    cities: [...claim.cities],
    ...(districts ? { districts } : {}),
    ...(claim.name !== undefined ? { name: claim.name } : {}),
  };
}

/** A verified token's payload to the caller's {@link Identity}. */
export function identityFromClaims(payload: Record<string, unknown>): Identity {
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') throw new InvalidIdentityClaimError('token has no subject (sub)');
  const claim = parseKudakClaim(payload[KUDAK_CLAIM]);
  return {
    sub,
    role: claim.role,
    organisation: claim.org,
    country: claim.country,
    cities: claim.cities,
    ...(claim.districts ? { districts: claim.districts } : {}),
    ...(claim.name !== undefined ? { name: claim.name } : {}),
  };
}

/**
 * A district_submitter is bound to the districts its token lists: without the list it would act on
 * every district of its cities, so the claim is required. Other roles act on every district of
 * their cities, and a list on their token would promise a restriction nothing enforces: refused.
 */
function parseDistricts(role: Role, value: unknown): string[] | undefined {
  if (role !== 'district_submitter') {
    if (value === undefined) return undefined;
    throw new InvalidIdentityClaimError('token districts apply only to the district_submitter role');
  }
  if (value === undefined) {
    throw new InvalidIdentityClaimError(
      'token districts are required for a district_submitter: the district ids it acts on',
    );
  }
  if (!Array.isArray(value) || value.length === 0 || !value.every((d) => typeof d === 'string' && SLUG.test(d))) {
    throw new InvalidIdentityClaimError('token districts must be a non-empty list of district ids');
  }
  return [...new Set(value as string[])];
}

// Either every city of the country (exactly ['*']) or named cities, never a mix.
function isCityList(value: unknown): value is string[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  if (value.length === 1 && value[0] === '*') return true;
  return value.every((city) => typeof city === 'string' && CITY_ID_PATTERN.test(city));
}
