import { ROLES, type Actor, type Role } from '@kudak/contracts';

/**
 * Who is calling, from a verified bearer token. Roles are scoped to one country and to cities in
 * it (`cities: ['*']` is every city of the country). The actor recorded with a decision is built
 * from this, never from the request body.
 */
export interface Identity {
  sub: string;
  role: Role;
  organisation: string;
  name?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  cities: string[];
  /**
   * District ids (within its cities) a district_submitter acts on; required for that role, refused on
   * the others. The API binds submitters to these, not to their contact's districtId: it authorises
   * from the token alone.
   */
  districts?: string[];
}

/** The token's private claim holding Kudak's part of the identity. */
export const KUDAK_CLAIM = 'kudak';

export interface KudakClaim {
  role: Role;
  org: string;
  country: string;
  cities: string[];
  districts?: string[];
  name?: string;
}

export function toActor(identity: Identity): Actor {
  return {
    id: identity.sub,
    role: identity.role,
    organisation: identity.organisation,
    ...(identity.name ? { name: identity.name } : {}),
  };
}

/** Whether the identity's scope covers this city (and, when known, its country). */
export function coversCity(identity: Identity, cityId: string, country?: string): boolean {
  if (country !== undefined && country !== identity.country) return false;
  return identity.cities.includes('*') || identity.cities.includes(cityId);
}

/** Whether the identity may act on this district: every role but a district_submitter bound elsewhere. */
export function coversDistrict(identity: Identity, districtId: string): boolean {
  return identity.role !== 'district_submitter' || (identity.districts ?? []).includes(districtId);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
