import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  STAGE_SEARCH_ATTRIBUTE,
  type Actor,
  type Award,
  type CandidacyPolicy,
  type CandidacyStage,
  type CandidacyState,
  type CandidacyWorkflowInput,
  type DecisionKind,
  type DecisionRecord,
  type EvaluationRecord,
  type OpenTask,
  type Role,
  candidacyReadModelView,
} from '@kudak/contracts';
import { nowIso } from '../shared/clock';
import { logDecision, overduePublisher } from '../shared/decisions';
import { processFeatures, type ProcessFeatures } from '../shared/process-patches';
import { ReadModelProjector } from '../shared/read-model-projector';
import { refuse } from '../shared/refusals';
import { SideEffects } from '../shared/side-effects';
import { TaskBoard } from '../shared/tasks';
import { initialState } from './candidacy-state';

/** Outcomes computed by the workflow are attributed to the body whose rule computed them. */
export const STEERING_COMMITTEE: Actor = {
  id: 'steering-committee',
  role: 'committee_member',
  organisation: 'National steering committee',
};

/** How a run ends: the candidacy closes, renews (a new cycle), or continues as new to bound its history. */
export type RunOutcome = 'closed' | 'renew' | 'continue';

/** What a stage's step leaves: nothing once it has entered the next stage, or how the run ends. */
export type StepOutcome = RunOutcome | void;

/**
 * One run of a candidacy: its state, and the rules every stage shares (logging decisions, entering
 * stages, rejections and awards, open tasks, side effects). The stage modules register their
 * handlers against it and run their steps on it.
 */
export class CandidacyRun {
  readonly workflowId: string;
  readonly state: CandidacyState;
  /** Fixed at start and kept for the candidacy's life. */
  readonly policy: CandidacyPolicy;
  readonly effects: SideEffects;
  readonly board: TaskBoard;
  /** The process changes this run has (see process-patches.ts). */
  readonly features: ProcessFeatures;
  /** Keeps the read model current; absent in runs recorded before it. */
  readonly projector: ReadModelProjector | undefined;

  // Transient outcomes of the stage in progress, set by handlers and awaited by the stage's step;
  // the decisions themselves live in state.decisions.
  ministryDecision: 'APPROVE' | 'RETURN' | undefined;
  /** UNICEF's endorsement or decline, as its handler recorded it (with UNICEF's actor). */
  endorsement: DecisionRecord | undefined;
  pendingEvaluation: { kind: EvaluationRecord['kind']; sequence: number } | undefined;
  finalAssessment: { passed: boolean; decision: DecisionRecord } | undefined;
  appealed = false;
  reinstated = false;
  /** Set once the run's outcome is known: nothing more may be withdrawn or watched. */
  closing = false;
  /** Changes whenever the ledger does, to wake the obligations watcher. */
  obligationsVersion = 0;

  private readonly publishOverdue = overduePublisher();

  constructor(input: CandidacyWorkflowInput) {
    this.features = processFeatures();
    this.workflowId = workflowInfo().workflowId;
    this.state = input.continued ?? initialState(input.start);
    this.policy = this.state.policy;
    this.effects = new SideEffects({
      workflowId: this.workflowId,
      cityId: this.state.cityId,
      cityName: this.state.cityName,
      country: this.state.country,
      stage: () => this.state.stage,
      contacts: () => this.state.contacts,
      failed: (effect) => (this.state.failedEffects ??= []).push(effect),
    });
    this.board = new TaskBoard(
      this.state,
      {
        stage: () => this.state.stage,
        policy: () => this.policy,
        onOverdueChanged: () => this.refreshOverdue(),
        announcesNewTasks: this.features.taskAssignedNotices,
      },
      this.effects,
    );
    this.projector = ReadModelProjector.start(this.effects, () => candidacyReadModelView(this.workflowId, this.state));
  }

  /** Keeps state.overdue (and the Overdue search attribute) true while anything is late. */
  refreshOverdue(): void {
    const { state } = this;
    state.overdue =
      state.openTasks.some((t) => t.overdue) ||
      state.obligations.some((o) => o.status === 'OVERDUE') ||
      state.districts.some((d) => d.overdue && d.status !== 'APPROVED' && d.status !== 'WAIVED');
    this.publishOverdue(state.overdue);
  }

  /** Logs an accepted decision (or a computed outcome) at the current stage and records it. */
  decide(kind: DecisionKind, actor: Actor, reason?: string, details?: DecisionRecord['details']): DecisionRecord {
    return logDecision(this.state.decisions, this.effects, { kind, stage: this.state.stage, actor, reason, details });
  }

  /** Moves to a stage and tells the administrators (and the given roles) that it opened. */
  enter(stage: CandidacyStage, notifyRoles: Role[] = []): void {
    if (this.state.stage === 'WITHDRAWN') return; // a withdrawal wins over a transition racing it
    this.state.stage = stage;
    this.state.stageEnteredAt = nowIso();
    upsertSearchAttributes([{ key: STAGE_SEARCH_ATTRIBUTE, value: stage }]);
    this.effects.notify(['administrator', ...notifyRoles], 'STAGE_OPENED', { stage, cycle: this.state.cycle });
  }

  /**
   * Rejects the candidacy at a stage because of a decision, whose reason (else the given one) the
   * administrators are told; the appeal window opens next.
   */
  reject(from: CandidacyStage, cause: DecisionRecord, reason: string): void {
    this.state.previousStage = from;
    this.enter('REJECTED');
    this.effects.notify(['administrator'], 'DECISION_RECORDED', {
      decisionKind: cause.kind,
      previousStage: from,
      reason: cause.reason ?? reason,
    });
  }

  award(kind: Award['kind'], actor: Actor, expiresAt?: string): void {
    const granted: Award = { kind, awardedAt: nowIso(), expiresAt, cycle: this.state.cycle };
    this.state.awards.push(granted);
    this.effects.recordAward(granted, actor);
    this.effects.notify(
      ['administrator', 'ministry_officer', 'unicef_officer'],
      'AWARD_GRANTED',
      expiresAt
        ? { awardKind: kind, awardedAt: granted.awardedAt, expiresAt }
        : { awardKind: kind, awardedAt: granted.awardedAt },
    );
  }

  // ---- Validator rules shared by the stages -------------------------------------------------

  requireStage(...stages: CandidacyStage[]): void {
    if (!stages.includes(this.state.stage)) {
      refuse(`this decision belongs to stage ${stages.join(' or ')}; the candidacy is at ${this.state.stage}`);
    }
  }

  requireTask(kind: OpenTask['kind'], what: string): OpenTask {
    const task = this.board.find(kind);
    if (!task) refuse(`no ${what} is awaited now (stage ${this.state.stage})`);
    return task;
  }
}
