import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

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

export interface StoredHistory {
  name: string;
  workflowId?: string;
  history: unknown;
}

/** Stored histories of one workflow type: `test/histories/<type>/<version>-<scenario>.json`. */
export function storedHistories(workflowType: string): StoredHistory[] {
  const dir = path.join(HISTORIES_DIR, workflowType);
  const manifest = readManifest();
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f,
      workflowId: manifest[`${workflowType}/${f}`],
      history: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
    }));
}

/** Replays one stored history against the current workflow code; throws on non-determinism. */
export async function replayHistory(
  name: string,
  history: unknown,
  workflowsPath?: string,
  workflowId?: string,
): Promise<void> {
  const options = workflowBundleOptions();
  await Worker.runReplayHistory(
    {
      workflowsPath: workflowsPath ?? options.workflowsPath,
      bundlerOptions: { webpackConfigHook: options.webpackConfigHook },
      replayName: name,
    },
    history,
    workflowId,
  );
}
