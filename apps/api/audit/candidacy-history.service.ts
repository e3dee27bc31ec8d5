import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { candidacyWorkflowId } from '@kudak/contracts';
import type { RunHistory } from './timeline.builder';

/**
 * Fetches the complete event history of a candidacy: every run of the candidacy workflow (renewals
 * and bounded histories continue as new) and every district workflow it started.
 */
@Injectable()
export class CandidacyHistoryService {
  constructor(private readonly client: Client) {}

  async runs(cityId: string): Promise<RunHistory[]> {
    const workflowId = candidacyWorkflowId(cityId);
    const runs: RunHistory[] = [];
    // From the latest run back through each run's predecessor.
    let runId: string | undefined = (await this.client.workflow.getHandle(workflowId).describe()).runId;
    while (runId) {
      const history: { events?: RunHistory['events'] | null } = await this.client.workflow
        .getHandle(workflowId, runId)
        .fetchHistory();
      const events: RunHistory['events'] = history.events ?? [];
      runs.unshift({ workflowId, runId, events });
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    }
    const children = [
      ...new Set(
        runs.flatMap((r) =>
          r.events.flatMap((e) => {
            const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
            return id ? [id] : [];
          }),
        ),
      ),
    ].sort();
    for (const childId of children) {
      const handle = this.client.workflow.getHandle(childId);
      const { runId: childRun } = await handle.describe();
      runs.push({ workflowId: childId, runId: childRun, events: (await handle.fetchHistory()).events ?? [] });
    }
    return runs;
  }

  /** Each run's history as text in the JSON form the Temporal CLI and Web UI use. */
  toJsonText(runs: RunHistory[]): Array<{ workflowId: string; runId: string; json: string }> {
    return runs.map((r) => ({ workflowId: r.workflowId, runId: r.runId, json: historyToJSON({ events: r.events }) }));
  }

  /** The same, parsed, for JSON responses. */
  toJson(runs: RunHistory[]): Array<{ workflowId: string; runId: string; history: unknown }> {
    return this.toJsonText(runs).map(({ workflowId, runId, json }) => ({
      workflowId,
      runId,
      history: JSON.parse(json),
    }));
  }
}
