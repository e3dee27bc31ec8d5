import { CancellationScope, condition, proxyActivities } from '@temporalio/workflow';
import {
  ACTIVITY_NAMES,
  type Actor,
  type Award,
  type CandidacyStage,
  type Contact,
  type DecisionRecord,
  type EvaluationRecord,
  type KudakActivities,
  type NotificationTemplate,
  type Role,
} from '@kudak/contracts';

// Records and notifications retry until they succeed (the database or the SMTP server may be
// down for a while): nothing accepted is lost, and the activities are idempotent.
const activities = proxyActivities<KudakActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

export interface SideEffectContext {
  workflowId: string;
  cityId: string;
  cityName: string;
  stage(): CandidacyStage;
  contacts(): Contact[];
}

/**
 * Schedules the activities a workflow's decisions cause, without making the decision wait for
 * them, and lets the workflow wait until all are done before it completes or continues as new.
 * They run outside any cancellation scope: a withdrawal does not cancel recording what happened.
 */
export class SideEffects {
  private pending = 0;

  constructor(private readonly ctx: SideEffectContext) {}

  private track(run: () => Promise<unknown>): void {
    this.pending++;
    void CancellationScope.nonCancellable(run).finally(() => this.pending--);
  }

  notify(
    roles: Role[],
    template: NotificationTemplate,
    params: Record<string, string | number>,
    filter: (c: Contact) => boolean = () => true,
  ): void {
    const recipients = this.ctx.contacts().filter((c) => roles.includes(c.role) && filter(c));
    if (recipients.length === 0) return;
    const { cityId, cityName } = this.ctx;
    const stage = this.ctx.stage();
    this.track(() => activities[ACTIVITY_NAMES.notify]({ template, cityId, cityName, stage, recipients, params }));
  }

  recordDecision(decision: DecisionRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities[ACTIVITY_NAMES.recordDecision]({ workflowId, cityId, decision }));
  }

  recordEvaluation(evaluation: EvaluationRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities[ACTIVITY_NAMES.recordEvaluation]({ workflowId, cityId, evaluation }));
  }

  recordAward(award: Award, actor: Actor): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities[ACTIVITY_NAMES.recordAward]({ workflowId, cityId, award, actor }));
  }

  /** Resolves when every scheduled activity has finished. */
  async drained(): Promise<void> {
    await condition(() => this.pending === 0);
  }
}
