import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

/** Stored histories of one workflow type: `test/histories/<type>/<version>-<scenario>.json`. */
export function storedHistories(workflowType: string): Array<{ name: string; history: unknown }> {
  const dir = path.join(HISTORIES_DIR, workflowType);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f, history: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Replays one stored history against the current workflow code; throws on non-determinism. */
export async function replayHistory(name: string, history: unknown, workflowsPath?: string): Promise<void> {
  const options = workflowBundleOptions();
  await Worker.runReplayHistory(
    {
      workflowsPath: workflowsPath ?? options.workflowsPath,
      bundlerOptions: { webpackConfigHook: options.webpackConfigHook },
      replayName: name,
    },
    history,
  );
}
