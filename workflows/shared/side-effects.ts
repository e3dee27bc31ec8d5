import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  log,
  proxyActivities,
} from '@temporalio/workflow';
import {
  ACTIVITY_NAMES,
  type Actor,
  type Award,
  type CandidacyStage,
  type Contact,
  type DecisionRecord,
  type EvaluationRecord,
  type FailedEffect,
  type KudakActivities,
  type NotificationParams,
  type NotificationRequest,
  type NotificationRequestOf,
  type NotificationTemplate,
  type ReadModelSnapshot,
  type Role,
} from '@kudak/contracts';
import { nowIso } from './clock';

// Records and notifications retry until they succeed (the database or the SMTP server may be
// down for a while): nothing accepted is lost, and the activities are idempotent. Only a failure
// that retrying cannot mend (a non-retryable one, e.g. invalid input) ends an activity early.
const activities = proxyActivities<KudakActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

// The read model's staleness is this activity's delay: retried sooner than the records, so the
// lists catch up within half a minute of the database coming back.
const readModel = proxyActivities<Pick<KudakActivities, 'projectReadModel'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** The notice administrators get when a side effect fails for good. */
const FAILURE_ALERT = 'SIDE_EFFECT_FAILED' satisfies NotificationTemplate;

export interface SideEffectContext {
  workflowId: string;
  cityId: string;
  cityName: string;
  /** ISO 3166-1 alpha-2: inbox rows carry it, so a token for another country never reads them. */
  country: string;
  stage(): CandidacyStage;
  contacts(): Contact[];
  /** Keeps a side effect that failed for good (in the workflow's state). */
  failed(effect: FailedEffect): void;
}

/**
 * Schedules the activities a workflow's decisions cause, without making the decision wait for
 * them, and lets the workflow wait until all are done before it completes or continues as new.
 * They run outside any cancellation scope: a withdrawal does not cancel recording what happened.
 * One that fails for good is kept in the state and the administrators are alerted; the workflow
 * goes on (the decision stands in its history).
 */
export class SideEffects {
  private pending = 0;

  constructor(private readonly ctx: SideEffectContext) {}

  private track(activity: string, subject: string, run: () => Promise<unknown>): void {
    this.pending++;
    void CancellationScope.nonCancellable(run)
      .catch((err: unknown) => this.failed(activity, subject, err))
      .finally(() => this.pending--);
  }

  private failed(activity: string, subject: string, err: unknown): void {
    const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
    const effect: FailedEffect = {
      activity,
      subject,
      failureType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined,
      message: cause instanceof Error ? cause.message : String(cause),
      failedAt: nowIso(),
    };
    log.warn('A side effect failed for good', { ...effect });
    this.ctx.failed(effect);
    // An alert that fails is kept like any other failure, but not alerted again: no loop.
    if (activity === ACTIVITY_NAMES.notify && subject === FAILURE_ALERT) return;
    const { failureType, ...params } = effect;
    this.notify(['administrator'], FAILURE_ALERT, failureType ? { ...params, failureType } : params);
  }

  /** Notifies the contacts holding the roles; the template decides which params it takes. */
  notify<T extends NotificationTemplate>(
    roles: Role[],
    template: T,
    params: NotificationParams[T],
    filter: (c: Contact) => boolean = () => true,
  ): void {
    const recipients = this.ctx.contacts().filter((c) => roles.includes(c.role) && filter(c));
    if (recipients.length === 0) return;
    const { cityId, cityName, country } = this.ctx;
    const stage = this.ctx.stage();
    const request: NotificationRequestOf<T> = { template, cityId, cityName, country, stage, recipients, params };
    // One member of the union, the one of T (TypeScript does not narrow a generic to it).
    this.track(ACTIVITY_NAMES.notify, template, () =>
      activities[ACTIVITY_NAMES.notify](request as NotificationRequest),
    );
  }

  recordDecision(decision: DecisionRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(ACTIVITY_NAMES.recordDecision, decision.kind, () =>
      activities[ACTIVITY_NAMES.recordDecision]({ workflowId, cityId, decision }),
    );
  }

  recordEvaluation(evaluation: EvaluationRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(ACTIVITY_NAMES.recordEvaluation, evaluation.kind, () =>
      activities[ACTIVITY_NAMES.recordEvaluation]({ workflowId, cityId, evaluation }),
    );
  }

  recordAward(award: Award, actor: Actor): void {
    const { workflowId, cityId } = this.ctx;
    this.track(ACTIVITY_NAMES.recordAward, award.kind, () =>
      activities[ACTIVITY_NAMES.recordAward]({ workflowId, cityId, award, actor }),
    );
  }

  /** Writes the workflow's snapshot into the read model (see ReadModelProjector). */
  project(snapshot: ReadModelSnapshot): void {
    this.track(ACTIVITY_NAMES.projectReadModel, `sequence ${snapshot.sequence}`, () =>
      readModel[ACTIVITY_NAMES.projectReadModel](snapshot),
    );
  }

  /** Resolves when every scheduled activity has finished. */
  async drained(): Promise<void> {
    await condition(() => this.pending === 0);
  }
}
