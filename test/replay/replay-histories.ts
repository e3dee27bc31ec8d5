import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { runWorkflowBundle, workflowsFromSource } from '../support/workflow-bundle';

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

/**
 * Replays stored histories with one replay worker, by default on the run's bundle of today's
 * workflows, else on the workflow code at `workflowsPath`. Gives each history's error (a
 * DeterminismViolationError when the code diverges), undefined when it replays, in their order.
 */
export async function replayHistories(
  histories: StoredHistory[],
  workflowsPath?: string,
): Promise<(Error | undefined)[]> {
  const code = workflowsPath ? workflowsFromSource(workflowsPath) : { workflowBundle: runWorkflowBundle() };
  const errors: (Error | undefined)[] = [];
  // Child workflow ids derive from the parent's, so a history replays under its recorded id.
  const replays = histories.map((h) => ({ workflowId: h.workflowId ?? h.name, history: h.history }));
  for await (const result of Worker.runReplayHistories(code, replays)) errors.push(result.error);
  return errors;
}
