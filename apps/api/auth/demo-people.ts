import { SLUG_PATTERN, type Role } from '@kudak/contracts';
import seed from './demo-people.json';
import { InvalidIdentityClaimError, parseKudakClaim } from './identity-claims';

/** A text in each language the console speaks. */
export interface LocalizedName {
  fa: string;
  en: string;
}

/**
 * Someone to sign in as on the embedded default (`npm start`): the Isfahan rehearsal's parties,
 * under the subjects scripts/rehearse-isfahan.sh gives them, so a rehearsal's tasks show up in
 * their console.
 */
export interface DemoPerson {
  id: string;
  name: LocalizedName;
  role: Role;
  organisation: LocalizedName;
  country: string;
  cities: string[];
  /** A district_submitter's districts (required for that role, refused for the others). */
  districts?: string[];
}

/** The seed file does not describe demo people; the message names the entry and the field. */
export class InvalidDemoPeopleError extends Error {
  constructor(message: string) {
    super(`demo-people.json: ${message}`);
    this.name = 'InvalidDemoPeopleError';
  }
}

/** Checks the seed: ids unique slugs, names in both languages, claims the API would accept. */
export function parseDemoPeople(value: unknown): DemoPerson[] {
  const people = (value as { people?: unknown } | null)?.people;
  if (!Array.isArray(people) || people.length === 0)
    throw new InvalidDemoPeopleError('people must be a non-empty list');
  const seen = new Set<string>();
  return people.map((entry: unknown, index) => {
    const at = `people[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new InvalidDemoPeopleError(`${at} must be an object`);
    const person = entry as Record<string, unknown>;
    if (typeof person.id !== 'string' || !SLUG_PATTERN.test(person.id)) {
      throw new InvalidDemoPeopleError(`${at}.id must be lowercase letters, digits and dashes`);
    }
    if (seen.has(person.id)) throw new InvalidDemoPeopleError(`${at}.id "${person.id}" is used twice`);
    seen.add(person.id);
    const name = localizedName(person.name, `${at}.name`);
    const organisation = localizedName(person.organisation, `${at}.organisation`);
    let claim;
    try {
      const { role, country, cities, districts } = person;
      claim = parseKudakClaim({ role, org: organisation.en, country, cities, districts });
    } catch (err) {
      if (err instanceof InvalidIdentityClaimError) throw new InvalidDemoPeopleError(`${at}: ${err.reason}`);
      throw err;
    }
    return {
      id: person.id,
      name,
      role: claim.role,
      organisation,
      country: claim.country,
      cities: claim.cities,
      ...(claim.districts ? { districts: claim.districts } : {}),
    };
  });
}

function localizedName(value: unknown, at: string): LocalizedName {
  const text = value as Partial<Record<keyof LocalizedName, unknown>> | null;
  for (const language of ['fa', 'en'] as const) {
    const said = text?.[language];
    if (typeof said !== 'string' || said.trim() === '') {
      throw new InvalidDemoPeopleError(`${at}.${language} must be a non-empty string`);
    }
  }
  return { fa: text!.fa as string, en: text!.en as string };
}

/** The seed shipped with the API (apps/api/auth/demo-people.json), checked. */
export function loadDemoPeople(): DemoPerson[] {
  return parseDemoPeople(seed);
}
