import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Worker, type WorkerOptions } from '@temporalio/worker';
import { runWorkflowBundle } from '../support/workflow-bundle';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

const MANIFEST = path.join(HISTORIES_DIR, 'workflow-ids.json');

/** Each stored file's workflow id (child workflow ids are part of a history's commands). */
export function readManifest(): Record<string, string> {
  return fs.existsSync(MANIFEST) ? JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) : {};
}

export function writeManifest(manifest: Record<string, string>): void {
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(MANIFEST, JSON.stringify(sorted, null, 2) + '\n');
}

/** The workflow types with stored histories, each in a folder of its own. */
export const WORKFLOW_TYPES = ['candidacy-workflow', 'district-plan-workflow'] as const;

export interface StoredHistory {
  name: string;
  /** The number in the file name's `v<N>-` prefix: the recording's version. */
  version: number;
  workflowId?: string;
  history: unknown;
}

/** Stored histories of one workflow type: `test/histories/<type>/v<N>-<scenario>.json`. */
export function storedHistories(workflowType: string): StoredHistory[] {
  const dir = path.join(HISTORIES_DIR, workflowType);
  const manifest = readManifest();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f,
      version: historyVersion(f),
      workflowId: manifest[`${workflowType}/${f}`],
      history: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
    }));
}

function historyVersion(fileName: string): number {
  const match = /^v(\d+)-/.exec(fileName);
  if (!match) throw new Error(`stored history ${fileName} does not start with its version (v<N>-)`);
  return Number(match[1]);
}

/** The workflow code a replay worker runs: a bundle, or a folder it bundles itself (with options). */
export type ReplayCode = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'>;

/**
 * Replays stored histories with one replay worker, by default on the run's bundle of today's
 * workflows, else on the given code (see workflowsFromSource). Gives each history's error (a
 * DeterminismViolationError when the code diverges), undefined when it replays, in their order.
 */
export async function replayHistories(
  histories: StoredHistory[],
  code: ReplayCode = { workflowBundle: runWorkflowBundle() },
): Promise<(Error | undefined)[]> {
  const errors: (Error | undefined)[] = [];
  // Child workflow ids derive from the parent's, so a history replays under its recorded id.
  const replays = histories.map((h) => ({ workflowId: h.workflowId ?? h.name, history: h.history }));
  for await (const result of Worker.runReplayHistories(code, replays)) errors.push(result.error);
  return errors;
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The markers a patch left in a history (`patched(id)`: the id is in the marker's payload). */
export function markersOf(events: HistoryEvent[], patchId: string): HistoryEvent[] {
  return events.filter((e) => {
    const payload = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
    return payload !== undefined && defaultPayloadConverter.fromPayload<{ id?: string }>(payload).id === patchId;
  });
}
