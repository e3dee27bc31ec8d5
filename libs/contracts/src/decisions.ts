// Every human decision in one table: the Update that carries it, who may take it, at which stage,
// and the limits of its fields. The workflows' validators and the API's routes both read it.
import type { UpdateDefinition } from '@temporalio/common';
import type { DecisionInput, Role } from './actor.types';
import {
  addObligationUpdate,
  appealDecisionUpdate,
  castCommitteeVoteUpdate,
  endorseCandidacyUpdate,
  fulfilObligationUpdate,
  recordActionPlanInputUpdate,
  recordEvaluationUpdate,
  recordFinalAssessmentUpdate,
  reinstateCandidacyUpdate,
  reviewActionPlanUpdate,
  signMemorandumUpdate,
  submitActionPlanUpdate,
  submitCorrectivePlanUpdate,
  withdrawCandidacyUpdate,
} from './candidacy.messages';
import type { CandidacyStage, DecisionRecord } from './candidacy.types';
import { reviewDistrictPlanUpdate, submitDistrictPlanUpdate, waiveDistrictPlanUpdate } from './district-plan.messages';

/** Longest free text a decision takes: reasons, summaries, plans, evidence, descriptions. */
export const TEXT_MAX_LENGTH = 4000;
/** Names: of a party, a local indicator. */
export const NAME_MAX_LENGTH = 200;
export const URL_MAX_LENGTH = 2000;
export const OBLIGATION_ID_MAX_LENGTH = 100;
/** Local indicators an evaluation may score. */
export const LOCAL_INDICATORS_MAX = 20;
/** Every score of an evaluation, core criterion or local indicator, is a whole number in this range. */
export const SCORE_RANGE = { min: 1, max: 5 } as const;

export interface DecisionRule {
  /** The workflow Update that carries the decision. */
  update: UpdateDefinition<DecisionRecord, [DecisionInput]>;
  /** Roles that may take it. */
  roles: readonly Role[];
  /** Stages at which it may be taken; absent when it may be taken at any stage. */
  stages?: readonly CandidacyStage[];
  /** Maximum length of each text field (list fields: the number of items). */
  limits: Readonly<Record<string, number>>;
  /** What it does, in a line (the API's operation summary). */
  summary: string;
}

/** Every role that can owe an obligation under the MoU, besides the administrators. */
const OBLIGATION_PARTY_ROLES = [
  'district_submitter',
  'reviewer',
  'committee_member',
  'ministry_officer',
  'unicef_officer',
] as const satisfies readonly Role[];

export const DECISIONS = {
  signMemorandum: {
    update: signMemorandumUpdate,
    roles: ['administrator'],
    stages: ['COMMITMENT'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Record the signed MoU; district planning opens',
  },
  addObligation: {
    update: addObligationUpdate,
    roles: ['administrator'],
    limits: {
      'obligation.id': OBLIGATION_ID_MAX_LENGTH,
      'obligation.party': NAME_MAX_LENGTH,
      'obligation.owedTo': NAME_MAX_LENGTH,
      'obligation.description': TEXT_MAX_LENGTH,
      reason: TEXT_MAX_LENGTH,
    },
    summary: 'Add an MoU obligation to the ledger',
  },
  fulfilObligation: {
    update: fulfilObligationUpdate,
    // Administrators, or the role that answers for the owing party: the workflow checks which.
    roles: ['administrator', ...OBLIGATION_PARTY_ROLES],
    limits: { evidence: TEXT_MAX_LENGTH, reason: TEXT_MAX_LENGTH },
    summary: 'Record an obligation fulfilled, with evidence',
  },
  submitDistrictPlan: {
    update: submitDistrictPlanUpdate,
    roles: ['district_submitter', 'administrator'],
    stages: ['DISTRICT_PLANNING'],
    limits: { summary: TEXT_MAX_LENGTH, documentUrl: URL_MAX_LENGTH, reason: TEXT_MAX_LENGTH },
    summary: "Submit (or resubmit) the district's plan",
  },
  reviewDistrictPlan: {
    update: reviewDistrictPlanUpdate,
    roles: ['reviewer'],
    stages: ['DISTRICT_PLANNING'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Approve the plan, or return it with a reason',
  },
  waiveDistrictPlan: {
    update: waiveDistrictPlanUpdate,
    roles: ['administrator'],
    stages: ['DISTRICT_PLANNING'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Let the city move on without this district, with a recorded reason',
  },
  recordActionPlanInput: {
    update: recordActionPlanInputUpdate,
    roles: ['administrator'],
    stages: ['ACTION_PLAN'],
    limits: { party: NAME_MAX_LENGTH, summary: TEXT_MAX_LENGTH, reason: TEXT_MAX_LENGTH },
    summary: "Record an input from a partner body, the think tank or the children's council",
  },
  submitActionPlan: {
    update: submitActionPlanUpdate,
    roles: ['administrator'],
    stages: ['ACTION_PLAN'],
    limits: { summary: TEXT_MAX_LENGTH, reason: TEXT_MAX_LENGTH },
    summary: 'Send the action plan to the Ministry of Interior',
  },
  reviewActionPlan: {
    update: reviewActionPlanUpdate,
    roles: ['ministry_officer'],
    stages: ['MINISTRY_REVIEW'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: "The Ministry's review: approve, or return with a reason",
  },
  castCommitteeVote: {
    update: castCommitteeVoteUpdate,
    roles: ['committee_member'],
    stages: ['CANDIDACY_REVIEW'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Vote (or recuse) in the steering committee; one ballot per member',
  },
  endorseCandidacy: {
    update: endorseCandidacyUpdate,
    roles: ['unicef_officer'],
    stages: ['CANDIDACY_REVIEW'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: "UNICEF's endorsement; the candidacy logo follows",
  },
  recordEvaluation: {
    update: recordEvaluationUpdate,
    roles: ['committee_member', 'ministry_officer'],
    stages: ['IMPLEMENTATION'],
    limits: {
      'scores.localIndicators': LOCAL_INDICATORS_MAX,
      'scores.localIndicators.name': NAME_MAX_LENGTH,
      reason: TEXT_MAX_LENGTH,
    },
    summary: 'Record the monitoring (or follow-up) evaluation that is due',
  },
  submitCorrectivePlan: {
    update: submitCorrectivePlanUpdate,
    roles: ['administrator'],
    stages: ['IMPLEMENTATION'],
    limits: { plan: TEXT_MAX_LENGTH, reason: TEXT_MAX_LENGTH },
    summary: 'Submit the corrective-action plan after an unsatisfactory evaluation',
  },
  reinstateCandidacy: {
    update: reinstateCandidacyUpdate,
    roles: ['ministry_officer'],
    stages: ['SUSPENDED'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Reinstate a suspended candidacy',
  },
  recordFinalAssessment: {
    update: recordFinalAssessmentUpdate,
    roles: ['unicef_officer'],
    stages: ['FINAL_ASSESSMENT'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Assess the three global minimum criteria; accession follows if all are met',
  },
  appealDecision: {
    update: appealDecisionUpdate,
    roles: ['administrator'],
    stages: ['REJECTED'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Appeal a rejection within the appeal window',
  },
  withdrawCandidacy: {
    update: withdrawCandidacyUpdate,
    roles: ['administrator'],
    limits: { reason: TEXT_MAX_LENGTH },
    summary: 'Withdraw the city from the candidacy (any stage)',
  },
} as const satisfies Record<string, DecisionRule>;

export type DecisionName = keyof typeof DECISIONS;
