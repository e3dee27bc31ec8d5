import { CancellationScope, condition, proxyActivities } from '@temporalio/workflow';
import type {
  Actor,
  Award,
  CandidacyStage,
  Contact,
  DecisionRecord,
  EvaluationRecord,
  NotificationParams,
  NotificationRequest,
  NotificationRequestOf,
  NotificationTemplate,
  Role,
} from '@kudak/contracts';
import type { KudakActivities } from '../../activities/activities.module';

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
  /** ISO 3166-1 alpha-2: inbox rows carry it, so a token for another country never reads them. */
  country: string;
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
    this.track(() => activities.notify(request as NotificationRequest));
  }

  recordDecision(decision: DecisionRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities.recordDecision({ workflowId, cityId, decision }));
  }

  recordEvaluation(evaluation: EvaluationRecord): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities.recordEvaluation({ workflowId, cityId, evaluation }));
  }

  recordAward(award: Award, actor: Actor): void {
    const { workflowId, cityId } = this.ctx;
    this.track(() => activities.recordAward({ workflowId, cityId, award, actor }));
  }

  /** Resolves when every scheduled activity has finished. */
  async drained(): Promise<void> {
    await condition(() => this.pending === 0);
  }
}
