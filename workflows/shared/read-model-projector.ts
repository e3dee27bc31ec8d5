import { CancellationScope, condition, patched, workflowInfo } from '@temporalio/workflow';
import { READ_MODEL_PATCH, type ReadModelView } from '@kudak/contracts';
import { nowIso } from './clock';
import type { SideEffects } from './side-effects';

/**
 * Keeps a workflow's rows of the read model (its open tasks, a candidacy's summary) equal to its
 * state: after every activation that changes the view, it schedules the projection activity with
 * the new snapshot, without making the decision that changed it wait. Each snapshot carries the
 * run's start and a sequence, so the database applies them in history order whatever order their
 * activities finish in.
 */
export class ReadModelProjector {
  private sequence = 0;
  private projected: string | undefined;

  private constructor(
    private readonly effects: SideEffects,
    private readonly view: () => ReadModelView,
  ) {}

  /**
   * A projector watching the view, for runs with the read model; undefined for runs recorded
   * before it (they replay without the activity). Call once, at the start of the workflow function.
   */
  static start(effects: SideEffects, view: () => ReadModelView): ReadModelProjector | undefined {
    if (!patched(READ_MODEL_PATCH)) return undefined;
    const projector = new ReadModelProjector(effects, view);
    // Outside the workflow's cancellation: a cancelled district (its candidacy withdrawn) must not
    // see the watch's condition reject, which unhandled would fail every workflow task after it.
    void CancellationScope.nonCancellable(() => projector.watch());
    return projector;
  }

  /** Projects the view now if it changed since the last projection (before the workflow drains its effects). */
  flush(): void {
    const view = this.view();
    const key = JSON.stringify(view);
    if (key === this.projected) return;
    this.projected = key;
    const { workflowId, runId, runStartTime } = workflowInfo();
    this.sequence++;
    this.effects.project({
      workflowId,
      runId,
      runStartedAt: runStartTime.toISOString(),
      sequence: this.sequence,
      updatedAt: nowIso(),
      ...view,
    });
  }

  private async watch(): Promise<void> {
    // The first snapshot waits for the workflow function's synchronous start (its first tasks).
    for (;;) {
      await condition(() => JSON.stringify(this.view()) !== this.projected);
      this.flush();
    }
  }
}
