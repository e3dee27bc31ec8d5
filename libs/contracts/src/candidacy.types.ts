// JSON-safe types shared by workflows, activities and the API. No classes, no Dates: they cross
// Temporal's payload converter and must mean the same on replay. Instants are ISO-8601 strings.
import type { Actor, Role } from './actor.types';
import type { CandidacyPolicy } from './candidacy-policy';

export const CANDIDACY_STAGES = [
  'COMMITMENT',
  'DISTRICT_PLANNING',
  'ACTION_PLAN',
  'MINISTRY_REVIEW',
  'CANDIDACY_REVIEW',
  'IMPLEMENTATION',
  'FINAL_ASSESSMENT',
  'ACCEDED',
  'WITHDRAWN',
  'SUSPENDED',
  'REJECTED',
] as const;
export type CandidacyStage = (typeof CANDIDACY_STAGES)[number];

export interface DistrictInput {
  id: string;
  name: string;
}

/** Someone the candidacy notifies. Notifications address roles; contacts say who holds them. */
export interface Contact {
  id: string;
  name: string;
  role: Role;
  email?: string;
  locale: 'fa' | 'en';
  /** For district submitters: the district they answer for. */
  districtId?: string;
}

export const OBLIGATION_STATUSES = ['OPEN', 'OVERDUE', 'FULFILLED'] as const;
export type ObligationStatus = (typeof OBLIGATION_STATUSES)[number];

export interface ObligationInput {
  id: string;
  /** The party that owes it, e.g. "UNICEF". */
  party: string;
  /** The role that answers for that party in Kudak (notified when overdue, may fulfil it). */
  partyRole: Role;
  /** The party it is owed to, e.g. "Isfahan Municipality". */
  owedTo: string;
  description: string;
  dueAt: string;
  /** A stage that cannot open until this obligation is fulfilled. */
  gatesStage?: CandidacyStage;
}

export interface Obligation extends ObligationInput {
  status: ObligationStatus;
  evidence?: string;
  fulfilledBy?: Actor;
  fulfilledAt?: string;
}

export interface StartCandidacyInput {
  cityId: string;
  cityName: string;
  /** ISO 3166-1 alpha-2 country code, e.g. "IR". */
  country: string;
  districts: DistrictInput[];
  /** Who is notified; none given, nobody is (open tasks still show by role in /me/tasks). */
  contacts?: Contact[];
  /** The MoU's commitments for every party; none given, an empty ledger. */
  obligations?: ObligationInput[];
  /** Overrides of the default policy; the resolved policy is recorded in history. */
  policy?: Partial<CandidacyPolicy>;
  startedBy: Actor;
}

export const DISTRICT_PLAN_STATUSES = ['NOT_SUBMITTED', 'SUBMITTED', 'RETURNED', 'APPROVED', 'WAIVED'] as const;
export type DistrictPlanStatus = (typeof DISTRICT_PLAN_STATUSES)[number];

export interface DistrictSummary {
  id: string;
  name: string;
  status: DistrictPlanStatus;
  dueAt?: string;
  overdue: boolean;
  lastDecision?: DecisionRecord;
}

export const ACTION_PLAN_INPUT_SOURCES = ['PARTNER_BODY', 'THINK_TANK', 'CHILDREN_COUNCIL'] as const;
export type ActionPlanInputSource = (typeof ACTION_PLAN_INPUT_SOURCES)[number];

export interface ActionPlanInput {
  source: ActionPlanInputSource;
  /** e.g. "Behzisti", "Red Crescent", "Children's city council". */
  party: string;
  summary: string;
  recordedBy: Actor;
  recordedAt: string;
}

export const DECISION_KINDS = [
  'MOU_SIGNED',
  'OBLIGATION_ADDED',
  'OBLIGATION_FULFILLED',
  'DISTRICT_PLAN_SUBMITTED',
  'DISTRICT_PLAN_APPROVED',
  'DISTRICT_PLAN_RETURNED',
  'DISTRICT_WAIVED',
  'ACTION_PLAN_INPUT_RECORDED',
  'ACTION_PLAN_SUBMITTED',
  'MINISTRY_APPROVED',
  'MINISTRY_RETURNED',
  'COMMITTEE_VOTE',
  'COMMITTEE_RECUSAL',
  'COMMITTEE_OUTCOME',
  'UNICEF_ENDORSED',
  'UNICEF_DECLINED',
  'EVALUATION_RECORDED',
  'CORRECTIVE_PLAN_SUBMITTED',
  'FINAL_ASSESSMENT_RECORDED',
  'APPEALED',
  'WITHDRAWN',
  'SUSPENDED',
  'REINSTATED',
] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** A human decision (or an outcome computed from them), attributable and time-stamped. */
export interface DecisionRecord {
  id: string;
  kind: DecisionKind;
  stage: CandidacyStage;
  actor: Actor;
  reason?: string;
  at: string;
  /** Decision-specific facts: the vote, the outcome, the district, the dissenters... */
  details?: Record<string, string | number | boolean | string[] | null>;
}

export const VOTES = ['APPROVE', 'REJECT'] as const;
export type Vote = (typeof VOTES)[number];

export interface CommitteeBallot {
  memberId: string;
  actor: Actor;
  vote?: Vote;
  recused: boolean;
  reason?: string;
  at: string;
}

export interface CommitteeRound {
  round: number;
  openedAt: string;
  ballots: CommitteeBallot[];
  /** Set once the vote closes with the quorum reached. */
  outcome?: 'APPROVED' | 'REJECTED';
  dissenters?: string[];
}

export interface CriterionScores {
  /** 1-5 on each of UNICEF's core criteria. */
  resultsForChildren: number;
  childParticipation: number;
  nonDiscrimination: number;
  /** Local indicators chosen by the city, 1-5 each. */
  localIndicators: Array<{ name: string; score: number }>;
}

export interface EvaluationRecord {
  id: string;
  kind: 'MONITORING' | 'CORRECTIVE_FOLLOW_UP';
  /** 1-based index of the monitoring evaluation in the programme. */
  sequence: number;
  scores: CriterionScores;
  satisfactory: boolean;
  evaluatedBy: Actor;
  reason?: string;
  at: string;
}

export interface CorrectiveAction {
  evaluationId: string;
  dueAt: string;
  plan?: string;
  submittedBy?: Actor;
  submittedAt?: string;
}

export interface FinalAssessment {
  demonstratedResults: boolean;
  childParticipation: boolean;
  nonDiscrimination: boolean;
  passed: boolean;
  assessedBy: Actor;
  reason?: string;
  at: string;
}

export interface Award {
  kind: 'CANDIDACY_LOGO' | 'RECOGNITION';
  awardedAt: string;
  expiresAt?: string;
  cycle: number;
}

export const TASK_KINDS = [
  'SIGN_MEMORANDUM',
  'SUBMIT_DISTRICT_PLAN',
  'REVIEW_DISTRICT_PLAN',
  'SUBMIT_ACTION_PLAN',
  'REVIEW_ACTION_PLAN',
  'COMMITTEE_VOTE',
  'ENDORSE_CANDIDACY',
  'RECORD_EVALUATION',
  'SUBMIT_CORRECTIVE_PLAN',
  'RECORD_FINAL_ASSESSMENT',
  'FULFIL_OBLIGATION',
  'APPEAL_OR_ACCEPT',
  'REINSTATE_OR_WITHDRAW',
  /** Until the next monitoring (or follow-up) evaluation falls due. */
  'PREPARE_EVALUATION',
  /** Until the renewal cycle opens, for a city in the network. */
  'PREPARE_RENEWAL',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Something waiting for someone: what, who, by when. */
export interface OpenTask {
  id: string;
  kind: TaskKind;
  stage: CandidacyStage;
  /** The role that answers for it (the first of assigneeRoles when there are several). */
  assigneeRole: Role;
  /** Every role it waits for, when more than one may act (tasks opened before it have one role). */
  assigneeRoles?: Role[];
  /** For committee votes: the members who have not voted yet. */
  assignees?: string[];
  districtId?: string;
  obligationId?: string;
  openedAt: string;
  dueAt?: string;
  overdue: boolean;
  remindersSent: number;
  escalations: number;
}

/**
 * A side effect (a record or a notification) whose activity failed for good, e.g. refused as
 * invalid input. The decision stands in the workflow's history; the administrators are alerted.
 */
export interface FailedEffect {
  /** The activity's name (ACTIVITY_NAMES). */
  activity: string;
  /** What it was for: the decision kind, the notification template, the award kind... */
  subject: string;
  /** The failure's type, e.g. InvalidActivityInput, when it has one. */
  failureType?: string;
  message: string;
  failedAt: string;
}

/** The tasks a workflow's state keeps: those open, and how many were opened in all its runs. */
export interface TaskLedger {
  openTasks: OpenTask[];
  /**
   * Tasks opened so far, carried into continued runs so task ids (`<kind>-<number>`) never repeat
   * within a candidacy. Absent in states from before it was kept: counting goes on after the open tasks'.
   */
  tasksOpened?: number;
}

export interface CandidacyState extends TaskLedger {
  cityId: string;
  cityName: string;
  country: string;
  stage: CandidacyStage;
  /** Stage before a suspension or rejection, to resume into. */
  previousStage?: CandidacyStage;
  /** 1 for the candidacy, 2+ for each renewal (continue-as-new). */
  cycle: number;
  policy: CandidacyPolicy;
  contacts: Contact[];
  districts: DistrictSummary[];
  obligations: Obligation[];
  memorandumSignedAt?: string;
  actionPlanInputs: ActionPlanInput[];
  actionPlan?: { summary: string; submittedBy: Actor; submittedAt: string };
  /** The implementation programme of this cycle, once it has started. */
  programme?: { startedAt: string; endsAt: string; evaluationsDone: number; evaluationsPlanned: number };
  committeeRounds: CommitteeRound[];
  evaluations: EvaluationRecord[];
  correctiveActions: CorrectiveAction[];
  finalAssessments: FinalAssessment[];
  awards: Award[];
  decisions: DecisionRecord[];
  overdue: boolean;
  /** Set while a rejection can still be appealed. */
  appealDeadline?: string;
  startedBy: Actor;
  startedAt: string;
  stageEnteredAt: string;
  closedAt?: string;
  /** Side effects that failed for good, if any (absent until the first). */
  failedEffects?: FailedEffect[];
}

/** What a continued run (renewal, or a long history) starts from. */
export interface CandidacyWorkflowInput {
  start: StartCandidacyInput;
  /** Present when continuing: the state the previous run ended with. */
  continued?: CandidacyState;
}

/** The roles a task waits for. */
export function taskRoles(task: Pick<OpenTask, 'assigneeRole' | 'assigneeRoles'>): Role[] {
  return task.assigneeRoles ?? [task.assigneeRole];
}
