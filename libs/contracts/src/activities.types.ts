// The activity contracts: what workflows hand to the records and notification activities.
import type { Actor } from './actor.types';
import type { Award, CandidacyStage, Contact, DecisionRecord, EvaluationRecord } from './candidacy.types';

export const NOTIFICATION_TEMPLATES = [
  'STAGE_OPENED',
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

export interface NotificationRequest {
  template: NotificationTemplate;
  cityId: string;
  cityName: string;
  stage: CandidacyStage;
  recipients: Contact[];
  /** Template parameters. Instants (keys ending in "At") are shown in Gregorian and Solar Hijri. */
  params: Record<string, string | number>;
}

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
} as const;

/** The activities by name: what the worker binds and what workflows proxy. */
export interface KudakActivities {
  [ACTIVITY_NAMES.notify](req: NotificationRequest): Promise<NotificationResult>;
  [ACTIVITY_NAMES.recordDecision](req: RecordDecisionRequest): Promise<RecordResult>;
  [ACTIVITY_NAMES.recordEvaluation](req: RecordEvaluationRequest): Promise<RecordResult>;
  [ACTIVITY_NAMES.recordAward](req: RecordAwardRequest): Promise<RecordResult>;
}
