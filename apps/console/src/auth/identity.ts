// Who is signed in, as the API will see it: the bearer token's subject and its `kudak` claim.
import type { Role } from '@kudak/contracts/actor.types';

export interface Identity {
  sub: string;
  role: Role;
  organisation?: string;
  country?: string;
  cities: string[];
  districts?: string[];
  name?: string;
}

/** The token's claims, read (not verified: the API verifies every call). */
export function identityOf(token: string): Identity | undefined {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as {
      sub?: string;
      kudak?: { role: Role; org?: string; country?: string; cities?: string[]; districts?: string[]; name?: string };
    };
    if (!claims.sub || !claims.kudak?.role) return undefined;
    const { role, org, country, cities, districts, name } = claims.kudak;
    return { sub: claims.sub, role, organisation: org, country, cities: cities ?? [], districts, name };
  } catch {
    return undefined;
  }
}
