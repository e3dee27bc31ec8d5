import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { candidacyWorkflowId } from '@kudak/contracts';
import { RunCache } from './run-cache';
import type { RunHistory } from './timeline.builder';

/** Districts whose histories are fetched at once: enough to overlap the round trips, not a flood. */
const DISTRICT_FETCHES_AT_ONCE = 4;

/** Characters of history JSON kept between dossiers (a full Isfahan lifecycle is about 1.2 million). */
const HISTORY_JSON_CACHE_CHARS = 64 * 1024 * 1024;

/**
 * Fetches the complete event history of a candidacy: every run of the candidacy workflow (renewals
 * and bounded histories continue as new) and every district workflow it started.
 */
@Injectable()
export class CandidacyHistoryService {
  /** Each history's JSON (the conversion costs about as much as the fetch). */
  private readonly json = new RunCache(
    (run) => historyToJSON({ events: run.events }),
    HISTORY_JSON_CACHE_CHARS,
    (text) => text.length,
  );

  constructor(private readonly client: Client) {}

  /**
   * Every run, in order: the candidacy's runs first to last, then its districts by id. The
   * districts' histories are fetched a few at a time. `onRun` sees each history as it arrives,
   * while the next ones are still on their way (the dossier converts them to JSON meanwhile).
   */
  async runs(cityId: string, onRun?: (run: RunHistory) => void): Promise<RunHistory[]> {
    const workflowId = candidacyWorkflowId(cityId);
    const candidacyRuns: RunHistory[] = [];
    // From the latest run back through each run's predecessor.
    let runId: string | undefined = (await this.client.workflow.getHandle(workflowId).describe()).runId;
    while (runId) {
      const run: RunHistory = { workflowId, runId, events: await this.events(workflowId, runId) };
      candidacyRuns.unshift(run);
      runId = run.events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
      onRun?.(run);
    }
    const children = [
      ...new Set(
        candidacyRuns.flatMap((r) =>
          r.events.flatMap((e) => {
            const id = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
            return id ? [id] : [];
          }),
        ),
      ),
    ].sort();
    const districtRuns: RunHistory[] = new Array(children.length);
    let next = 0;
    const fetchNext = async (): Promise<void> => {
      while (next < children.length) {
        const index = next++;
        const childId = children[index];
        const { runId } = await this.client.workflow.getHandle(childId).describe();
        districtRuns[index] = { workflowId: childId, runId, events: await this.events(childId, runId) };
        onRun?.(districtRuns[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(DISTRICT_FETCHES_AT_ONCE, children.length) }, fetchNext));
    return [...candidacyRuns, ...districtRuns];
  }

  private async events(workflowId: string, runId?: string): Promise<RunHistory['events']> {
    const history: { events?: RunHistory['events'] | null } = await this.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    return history.events ?? [];
  }

  /** Each run's history as text in the JSON form the Temporal CLI and Web UI use. */
  toJsonText(runs: RunHistory[]): Array<{ workflowId: string; runId: string; json: string }> {
    return runs.map((r) => ({ workflowId: r.workflowId, runId: r.runId, json: this.jsonText(r) }));
  }

  /** One run's history as JSON text. */
  jsonText(run: RunHistory): string {
    return this.json.get(run);
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
