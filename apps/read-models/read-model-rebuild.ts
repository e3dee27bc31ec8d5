import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import {
  ACTIVITY_NAMES,
  candidacyReadModelView,
  getCandidacyStateQuery,
  getDistrictPlanStateQuery,
  projectedTasks,
  type CandidacyState,
  type DistrictPlanWorkflowInput,
  type ReadModelSnapshot,
  type ReadModelView,
} from '@kudak/contracts';
import { ReadModelRepository } from '@kudak/database';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** How many histories are read at once. */
const CONCURRENCY = 8;

export interface RebuildReport {
  /** Workflows (candidacies and their district plans) whose latest run was read. */
  workflows: number;
  /** Snapshots taken from a projection activity in a history. */
  fromHistory: number;
  /** Snapshots derived from the state of a run recorded before the read model (running, or a closed candidacy). */
  fromState: number;
  /** Snapshots the read model already held (same or later version). */
  unchanged: number;
}

interface LatestRun {
  workflowId: string;
  runId: string;
  type: string;
  running: boolean;
  events: HistoryEvent[];
}

/**
 * Derives the read model from the workflows' histories: for each candidacy and each district plan
 * it started, the last projection activity its latest run scheduled (the snapshot the live model
 * ends at). A run recorded before the read model has none: its state (queried while it runs; a
 * closed candidacy's result) gives the snapshot instead. Writes go through the same versioned
 * apply as the live activity, so a rebuild while workflows run never puts an older snapshot over
 * a newer one.
 */
@Injectable()
export class ReadModelRebuild {
  constructor(
    private readonly client: Client,
    private readonly readModel: ReadModelRepository,
  ) {}

  /**
   * Rebuilds the given candidacies (workflow ids), by default every candidacy Temporal's visibility
   * lists on the task queue, with their district plans; `wipe` empties the read model first.
   */
  async rebuild(options: {
    wipe: boolean;
    candidacies?: string[];
    taskQueue: string;
    log?: (line: string) => void;
  }): Promise<RebuildReport> {
    const log = options.log ?? (() => undefined);
    const candidacies = options.candidacies ?? (await this.listedCandidacies(options.taskQueue));
    if (options.wipe) {
      await this.readModel.clear();
      log('read model emptied');
    }
    const report: RebuildReport = { workflows: 0, fromHistory: 0, fromState: 0, unchanged: 0 };
    const project = async (run: LatestRun) => {
      report.workflows++;
      const found = await this.snapshotOf(run);
      if (!found) return;
      report[found.source]++;
      if (!(await this.readModel.apply(found.snapshot))) report.unchanged++;
    };
    const queue = [...candidacies];
    const work = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        const latest = await this.latestRun(id);
        await project(latest);
        for (const child of await this.districtPlans(latest)) await project(await this.latestRun(child));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, work));
    log(
      `${report.workflows} workflow(s): ${report.fromHistory} snapshot(s) from their histories, ` +
        `${report.fromState} from the state of runs recorded before the read model, ${report.unchanged} already current`,
    );
    return report;
  }

  /** Every candidacy's workflow id on the task queue, once (visibility lists each run). */
  private async listedCandidacies(taskQueue: string): Promise<string[]> {
    const ids = new Set<string>();
    // A task queue name is free text: quoted as visibility's string literals are.
    const query = `WorkflowType = 'candidacyWorkflow' AND TaskQueue = ${JSON.stringify(taskQueue)}`;
    for await (const execution of this.client.workflow.list({ query })) {
      ids.add(execution.workflowId);
    }
    return [...ids].sort();
  }

  private async latestRun(workflowId: string): Promise<LatestRun> {
    const handle = this.client.workflow.getHandle(workflowId);
    const { runId, type, status } = await handle.describe();
    const events = (await this.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    return { workflowId, runId, type, running: status.name === 'RUNNING', events };
  }

  /** The district plans a candidacy started, in any of its runs (walking back from the latest). */
  private async districtPlans(latest: LatestRun): Promise<string[]> {
    const children = new Set<string>();
    let events = latest.events;
    for (;;) {
      for (const e of events) {
        const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (id) children.add(id);
      }
      const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) break;
      events = (await this.client.workflow.getHandle(latest.workflowId, previous).fetchHistory()).events ?? [];
    }
    return [...children].sort();
  }

  private async snapshotOf(
    run: LatestRun,
  ): Promise<{ source: 'fromHistory' | 'fromState'; snapshot: ReadModelSnapshot } | undefined> {
    const { events } = run;
    for (let i = events.length - 1; i >= 0; i--) {
      const scheduled = events[i].activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name !== ACTIVITY_NAMES.projectReadModel) continue;
      const [snapshot] = decode(scheduled.input) as [ReadModelSnapshot];
      return { source: 'fromHistory', snapshot };
    }
    const view = await this.viewOfEarlierRun(run);
    const startedAt = instant(events[0]);
    if (!view || !startedAt) return undefined;
    const snapshot: ReadModelSnapshot = {
      workflowId: run.workflowId,
      runId: run.runId,
      runStartedAt: startedAt,
      // Below any sequence the live activity writes: a later run's first snapshot replaces it.
      sequence: 0,
      updatedAt: instant(events[events.length - 1]) ?? startedAt,
      ...view,
    };
    return { source: 'fromState', snapshot };
  }

  /** The view of a run recorded before the read model: what its state shows. */
  private async viewOfEarlierRun(run: LatestRun): Promise<ReadModelView | undefined> {
    const { events, running } = run;
    const handle = this.client.workflow.getHandle(run.workflowId, run.runId);
    if (run.type === 'candidacyWorkflow') {
      const completed = events[events.length - 1]?.workflowExecutionCompletedEventAttributes;
      const state = running
        ? await handle.query(getCandidacyStateQuery)
        : (decode(completed?.result)[0] as CandidacyState | undefined);
      // A first-release candidacy's state has no open tasks: it is not listed.
      return state?.openTasks ? candidacyReadModelView(run.workflowId, state) : undefined;
    }
    if (!running) return undefined; // a settled district plan waits for nobody
    const [input] = decode(events[0]?.workflowExecutionStartedEventAttributes?.input) as [DistrictPlanWorkflowInput];
    const state = await handle.query(getDistrictPlanStateQuery);
    return {
      candidacyWorkflowId: input.candidacyWorkflowId,
      cityId: input.cityId,
      country: input.country,
      tasks: projectedTasks(state.openTasks),
    };
  }
}

function decode(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown[] {
  return (payloads?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p));
}

function instant(event: HistoryEvent | undefined): string | undefined {
  const t = event?.eventTime;
  if (!t?.seconds) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString();
}
