// The activity contracts: what workflows hand to the records and notification activities.
import type { Actor } from './actor.types';
import type {
  Award,
  CandidacyStage,
  Contact,
  DecisionKind,
  DecisionRecord,
  EvaluationRecord,
  TaskKind,
} from './candidacy.types';
import type { ProjectionResult, ReadModelSnapshot } from './read-model';

export const NOTIFICATION_TEMPLATES = [
  'STAGE_OPENED',
  'TASK_ASSIGNED',
  'TASK_REMINDER',
  'TASK_ESCALATION',
  'DECISION_RECORDED',
  'OBLIGATION_OVERDUE',
  'EVALUATION_UNSATISFACTORY',
  'AWARD_GRANTED',
  'CANDIDACY_CLOSED',
  'SIDE_EFFECT_FAILED',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** What a task's reminder and escalation say: which task, by when, and where. */
type TaskNoticeParams = { taskKind: TaskKind; taskId: string; dueAt: string; districtId?: string };

/**
 * Each template's parameters. The templates read these names (instants end in "At" and are shown
 * in both calendars), so a workflow sending another name does not compile.
 */
export type NotificationParams = {
  STAGE_OPENED: { stage: CandidacyStage; cycle: number };
  /** A new task: no due date when it has none (the memorandum, a reinstatement). */
  TASK_ASSIGNED: Omit<TaskNoticeParams, 'dueAt'> & { dueAt?: string; obligationId?: string };
  TASK_REMINDER: TaskNoticeParams;
  TASK_ESCALATION: TaskNoticeParams & { escalation: number };
  DECISION_RECORDED: {
    decisionKind: DecisionKind;
    reason: string;
    previousStage?: CandidacyStage;
    districtId?: string;
    dueAt?: string;
  };
  OBLIGATION_OVERDUE: { obligationId: string; party: string; owedTo: string; description: string; dueAt: string };
  EVALUATION_UNSATISFACTORY: { sequence: number; kind: EvaluationRecord['kind']; reason: string };
  AWARD_GRANTED: { awardKind: Award['kind']; awardedAt: string; expiresAt?: string };
  CANDIDACY_CLOSED: { stage: CandidacyStage; closedAt?: string };
  /** A side effect that failed for good (see FailedEffect), told to the administrators. */
  SIDE_EFFECT_FAILED: { activity: string; subject: string; message: string; failedAt: string; failureType?: string };
};

/** A notification of one template with that template's parameters. */
export type NotificationRequestOf<T extends NotificationTemplate> = {
  template: T;
  cityId: string;
  cityName: string;
  /**
   * ISO 3166-1 alpha-2 of the candidacy, so an inbox reads only its token's country. Absent in
   * requests scheduled before it was sent: their inbox rows match on the city alone.
   */
  country?: string;
  stage: CandidacyStage;
  recipients: Contact[];
  /** Template parameters. Instants (keys ending in "At") are shown in Gregorian and Solar Hijri. */
  params: NotificationParams[T];
};

/** A notification of any template (a union: the template decides its parameters). */
export type NotificationRequest = { [T in NotificationTemplate]: NotificationRequestOf<T> }[NotificationTemplate];

export interface NotificationResult {
  /** workflow id / run id / activity id: the same on every retry of this activity. */
  key: string;
  inboxRecords: number;
  emailsSent: number;
}

/** Common to every record: which candidacy (workflow id) and city. */
export interface RecordContext {
  workflowId: string;
  cityId: string;
}

export interface RecordDecisionRequest extends RecordContext {
  decision: DecisionRecord;
}

export interface RecordEvaluationRequest extends RecordContext {
  evaluation: EvaluationRecord;
}

export interface RecordAwardRequest extends RecordContext {
  award: Award;
  actor: Actor;
}

export interface RecordResult {
  /** workflow id / run id / activity id: the same on every retry of the activity. */
  key: string;
  /** False when a previous attempt of the same activity had already written the row. */
  inserted: boolean;
}

/**
 * The activities' names, exactly as workflow histories record them. Never change one: running
 * candidacies would no longer replay, and the audit timeline (which reads them) would lose its lines.
 */
export const ACTIVITY_NAMES = {
  notify: 'notify',
  recordDecision: 'recordDecision',
  recordEvaluation: 'recordEvaluation',
  recordAward: 'recordAward',
  projectReadModel: 'projectReadModel',
} as const;

/** The activities by name: what the worker binds and what workflows proxy. */
export interface KudakActivities {
  [ACTIVITY_NAMES.notify](req: NotificationRequest): Promise<NotificationResult>;
  [ACTIVITY_NAMES.recordDecision](req: RecordDecisionRequest): Promise<RecordResult>;
  [ACTIVITY_NAMES.recordEvaluation](req: RecordEvaluationRequest): Promise<RecordResult>;
  [ACTIVITY_NAMES.recordAward](req: RecordAwardRequest): Promise<RecordResult>;
  [ACTIVITY_NAMES.projectReadModel](snapshot: ReadModelSnapshot): Promise<ProjectionResult>;
}
