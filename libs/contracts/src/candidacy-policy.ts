import type { Contact } from './candidacy.types';
import {
  addDuration,
  durationProblem,
  nominalMs,
  POLICY_DURATION_UNITS,
  POLICY_OFFSET_FIELDS,
  type PolicyDuration,
  type PolicyDurationField,
} from './policy-durations';

/**
 * Every duration and threshold of a candidacy. Given at start (defaults below, from the article
 * and CFCI practice), recorded in the workflow's start event, and kept for the candidacy's life:
 * a policy change never alters a running candidacy. Every duration is a whole number of the unit
 * its name says, or an ISO 8601 duration string for rehearsals (see policy-durations.ts).
 */
export interface CandidacyPolicy {
  version: string;
  /** Days a district has to submit its plan once district planning opens. */
  districtPlanDays: PolicyDuration;
  /** Days to resubmit a returned district plan. */
  districtResubmissionDays: PolicyDuration;
  /** The operational plan is due one month after its stage opens. */
  actionPlanMonths: PolicyDuration;
  ministryReviewDays: PolicyDuration;
  /** Days the steering committee has to reach quorum and decide. */
  committeeDecisionDays: PolicyDuration;
  unicefEndorsementDays: PolicyDuration;
  programmeMonths: PolicyDuration;
  evaluationIntervalMonths: PolicyDuration;
  /** Days the committee has to record an evaluation once it falls due. */
  evaluationWindowDays: PolicyDuration;
  /** Minimum score (1-5) on every core criterion for a satisfactory evaluation. */
  evaluationPassScore: number;
  correctiveActionDays: PolicyDuration;
  finalAssessmentDays: PolicyDuration;
  recognitionYears: PolicyDuration;
  /** The renewal cycle opens this many months before the recognition expires. */
  renewalLeadMonths: PolicyDuration;
  appealWindowDays: PolicyDuration;
  /** Reminders this many days before every deadline. */
  reminderDaysBefore: PolicyDuration[];
  /** Escalations this many days after every deadline (0 = on the day). */
  escalationDaysAfter: PolicyDuration[];
  /**
   * The steering committee. No members named: an open committee, where every committee member
   * whose token covers the city may vote and evaluate, and one vote is the quorum.
   */
  committee: { members: string[]; quorum: number };
}

export const DEFAULT_POLICY_VERSION = 'cfci-2026.1';

export const DEFAULT_POLICY: CandidacyPolicy = {
  version: DEFAULT_POLICY_VERSION,
  districtPlanDays: 60,
  districtResubmissionDays: 14,
  actionPlanMonths: 1,
  ministryReviewDays: 30,
  committeeDecisionDays: 30,
  unicefEndorsementDays: 30,
  programmeMonths: 18,
  evaluationIntervalMonths: 6,
  evaluationWindowDays: 30,
  evaluationPassScore: 3,
  correctiveActionDays: 60,
  finalAssessmentDays: 60,
  recognitionYears: 4,
  renewalLeadMonths: 6,
  appealWindowDays: 30,
  reminderDaysBefore: [7, 1],
  escalationDaysAfter: [0, 7],
  committee: { members: [], quorum: 1 },
};

/**
 * The committee of a candidacy's start: the members it names, else the ids of its contacts whose
 * role is `committee_member`, else none (an open committee). The quorum defaults to the policy's.
 */
export function startCommittee(
  given: Partial<CandidacyPolicy['committee']> | undefined,
  contacts: readonly Contact[],
): CandidacyPolicy['committee'] {
  return {
    members: given?.members ?? contacts.filter((c) => c.role === 'committee_member').map((c) => c.id),
    quorum: given?.quorum ?? DEFAULT_POLICY.committee.quorum,
  };
}

/** Whether an actor may vote and evaluate as a committee member: any one, on an open committee. */
export function sitsOnCommittee(committee: CandidacyPolicy['committee'], actorId: string): boolean {
  return committee.members.length === 0 || committee.members.includes(actorId);
}

/** Who a committee vote waits for by name; none named on an open committee (every member by role). */
export function committeeAssignees(committee: CandidacyPolicy['committee']): string[] | undefined {
  return committee.members.length === 0 ? undefined : [...committee.members];
}

/** The policy a candidacy starts with: defaults overlaid by what the administrator gave. */
export function resolvePolicy(overrides: Partial<CandidacyPolicy> = {}): CandidacyPolicy {
  // An override left undefined (an optional field not given) keeps the default.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return {
    ...DEFAULT_POLICY,
    ...given,
    committee: { ...DEFAULT_POLICY.committee, ...overrides.committee },
  };
}

/** Why a policy cannot be used, or an empty list. Pure: used by the API and by the workflow. */
export function policyProblems(policy: CandidacyPolicy): string[] {
  const problems: string[] = [];
  const { members, quorum } = policy.committee;
  if (new Set(members).size !== members.length) problems.push('policy.committee.members must not repeat a member');
  if (members.length === 0) {
    if (quorum !== 1) problems.push('policy.committee.quorum must be 1 when the committee names no members');
  } else if (quorum < 1 || quorum > members.length) {
    problems.push('policy.committee.quorum must be between 1 and the number of members');
  }
  const durations = Object.entries(POLICY_DURATION_UNITS).map(([field, unit]) =>
    durationProblem(policy[field as keyof typeof POLICY_DURATION_UNITS], `policy.${field}`, unit),
  );
  const offsets = POLICY_OFFSET_FIELDS.flatMap((field) => {
    const list: unknown = policy[field];
    if (!Array.isArray(list)) return [`policy.${field} must be a list`];
    return list.map((offset, i) => durationProblem(offset, `policy.${field}.${i}`, 'days', true));
  });
  const unusable = [...durations, ...offsets].filter((p): p is string => p !== undefined);
  problems.push(...unusable);
  if (unusable.length === 0 && evaluationsPlanned(policy) === undefined) {
    problems.push('policy.programmeMonths must be a multiple of policy.evaluationIntervalMonths');
  }
  return problems;
}

/**
 * How many monitoring evaluations the programme holds: a whole number of evaluation intervals, or
 * undefined when it is not one. Numbers divide as they always have; a duration string is compared
 * by its nominal length (the count is then the nearest whole number).
 */
export function evaluationsPlanned(policy: CandidacyPolicy): number | undefined {
  const { programmeMonths: programme, evaluationIntervalMonths: interval } = policy;
  if (typeof programme === 'number' && typeof interval === 'number') {
    return programme % interval === 0 ? programme / interval : undefined;
  }
  const ratio = nominalMs(programme, 'months') / nominalMs(interval, 'months');
  const count = Math.round(ratio);
  return count >= 1 && Math.abs(ratio - count) < 1e-6 ? count : undefined;
}

/** The instant `times` of the policy's duration `field` after `epochMs` (before it when negative). */
export function addPolicyDuration(
  epochMs: number,
  policy: CandidacyPolicy,
  field: PolicyDurationField,
  times = 1,
): number {
  return addDuration(epochMs, policy[field], POLICY_DURATION_UNITS[field], times);
}
