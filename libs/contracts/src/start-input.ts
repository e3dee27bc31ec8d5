import { ApplicationFailure } from '@temporalio/common';
import { ROLES } from './actor.types';
import { policyProblems, resolvePolicy } from './candidacy-policy';
import { CANDIDACY_STAGES, type StartCandidacyInput } from './candidacy.types';
import { CITY_ID_PATTERN, COUNTRY_CODE_PATTERN } from './workflow-ids';

/** Ids of districts, contacts, obligations and committee members: lowercase slugs. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The failure type of a candidacy workflow refusing its start input. */
export const INVALID_START_INPUT = 'InvalidStartInput';

/**
 * Marks candidacies started since the workflow checks its start input. Candidacies started before
 * replay without the check: one started with an input the check refuses keeps running as it was.
 */
export const START_INPUT_CHECK_PATCH = 'start-input-check';

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isSlug = (value: unknown): value is string => typeof value === 'string' && SLUG_PATTERN.test(value);
const isOneOf = (value: unknown, allowed: readonly string[]) => typeof value === 'string' && allowed.includes(value);

/**
 * Why a candidacy cannot start with this input, or an empty list: the shape of every field and
 * item (each district, contact and obligation an object with its fields), then the rules across
 * fields (unique ids, contacts' districts, a usable policy). Pure and deterministic: the API answers
 * a 400 with these, and the candidacy workflow refuses such a start (see {@link assertValidStartInput}).
 */
export function startInputProblems(input: unknown): string[] {
  if (!isObject(input)) return ['the start input must be an object'];
  const problems: string[] = [];
  const need = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  need(
    typeof input.cityId === 'string' && CITY_ID_PATTERN.test(input.cityId),
    'cityId must be 2-63 lowercase letters, digits and dashes',
  );
  need(isText(input.cityName), 'cityName must be a non-empty string');
  need(
    typeof input.country === 'string' && COUNTRY_CODE_PATTERN.test(input.country),
    'country must be an ISO 3166-1 alpha-2 code such as IR',
  );
  problems.push(...policyInputProblems(input.policy));

  const districts = objectsIn(input.districts, 'districts', problems);
  need(Array.isArray(input.districts) && input.districts.length > 0, 'districts must name at least one district');
  districts.forEach(([d, at]) => {
    need(isSlug(d.id), `${at}.id must be lowercase letters, digits and dashes`);
    need(isText(d.name), `${at}.name must be a non-empty string`);
  });
  const districtIds = districts.map(([d]) => d.id);
  need(new Set(districtIds).size === districtIds.length, 'districts must not repeat an id');

  for (const [c, at] of objectsIn(input.contacts ?? [], 'contacts', problems)) {
    need(isSlug(c.id), `${at}.id must be lowercase letters, digits and dashes`);
    need(isText(c.name), `${at}.name must be a non-empty string`);
    need(isOneOf(c.role, ROLES), `${at}.role must be a role`);
    need(isOneOf(c.locale, ['fa', 'en']), `${at}.locale must be fa or en`);
    need(c.email === undefined || isText(c.email), `${at}.email must be a string`);
    need(
      c.districtId === undefined || districtIds.includes(c.districtId),
      `${at}.districtId must be one of the districts`,
    );
  }

  const obligations = objectsIn(input.obligations ?? [], 'obligations', problems);
  for (const [o, at] of obligations) {
    need(isSlug(o.id), `${at}.id must be lowercase letters, digits and dashes`);
    for (const field of ['party', 'owedTo', 'description'])
      need(isText(o[field]), `${at}.${field} must be a non-empty string`);
    need(isOneOf(o.partyRole, ROLES), `${at}.partyRole must be a role`);
    need(typeof o.dueAt === 'string' && !Number.isNaN(Date.parse(o.dueAt)), `${at}.dueAt must be a date-time`);
    need(o.gatesStage === undefined || isOneOf(o.gatesStage, CANDIDACY_STAGES), `${at}.gatesStage must be a stage`);
  }
  const obligationIds = obligations.map(([o]) => o.id);
  need(new Set(obligationIds).size === obligationIds.length, 'obligations must not repeat an id');

  const by = input.startedBy;
  need(
    isObject(by) && isText(by.id) && isOneOf(by.role, ROLES) && isText(by.organisation),
    'startedBy must be an actor with id, role and organisation',
  );
  return problems;
}

/**
 * The workflow's own check of its start input (the API checks the same first): a start it cannot
 * carry fails at once, for good, rather than starting a district no route can reach.
 */
export function assertValidStartInput(input: StartCandidacyInput): void {
  const problems = startInputProblems(input);
  if (problems.length > 0) {
    throw ApplicationFailure.create({ type: INVALID_START_INPUT, message: problems.join('; '), nonRetryable: true });
  }
}

/** The items of a list that are objects, each with its path; a problem for the list or any other item. */
function objectsIn(list: unknown, field: string, problems: string[]): Array<[Fields, string]> {
  if (!Array.isArray(list)) {
    problems.push(`${field} must be a list`);
    return [];
  }
  const objects: Array<[Fields, string]> = [];
  list.forEach((item: unknown, i) => {
    if (isObject(item)) objects.push([item, `${field}.${i}`]);
    else problems.push(`${field}.${i} must be an object`);
  });
  return objects;
}

/**
 * The committee's shape, then (when it holds) whether the resolved policy works: its durations (a
 * whole number of their unit or an ISO 8601 duration), offsets and quorum, as the workflow checks them.
 */
function policyInputProblems(policy: unknown): string[] {
  if (policy === undefined) return policyProblems(resolvePolicy());
  if (!isObject(policy)) return ['policy must be an object'];
  const problems: string[] = [];
  const { committee } = policy;
  if (committee !== undefined) {
    if (!isObject(committee)) problems.push('policy.committee must be an object');
    else {
      if (!Array.isArray(committee.members) || !committee.members.every(isSlug)) {
        problems.push('policy.committee.members must be a list of member ids');
      }
      if (!Number.isInteger(committee.quorum)) problems.push('policy.committee.quorum must be a whole number');
    }
  }
  return problems.length > 0 ? problems : policyProblems(resolvePolicy(policy));
}
