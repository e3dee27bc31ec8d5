import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Worker, type BundleOptions } from '@temporalio/worker';
import { workflowBundleOptions } from '@kudak/temporal';

// The bundler the SDK uses (its own webpack), for the plugin that swaps one module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const webpack = require(require.resolve('webpack', { paths: [require.resolve('@temporalio/worker')] })) as {
  NormalModuleReplacementPlugin: new (pattern: RegExp, replacement: string) => object;
};

/** Today's workflows with one module bundled from another file (a patch module as it was, say). */
export function withModuleReplaced(pattern: RegExp, replacement: string): Pick<BundleOptions, 'webpackConfigHook'> {
  const { webpackConfigHook } = workflowBundleOptions();
  return {
    webpackConfigHook: (config) => {
      const hooked = webpackConfigHook!(config);
      hooked.plugins = [
        ...(hooked.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(pattern, replacement),
      ] as typeof hooked.plugins;
      return hooked;
    },
  };
}

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
  bundlerOptions?: Pick<BundleOptions, 'webpackConfigHook'>,
): Promise<void> {
  const options = workflowBundleOptions();
  await Worker.runReplayHistory(
    {
      workflowsPath: workflowsPath ?? options.workflowsPath,
      bundlerOptions: bundlerOptions ?? { webpackConfigHook: options.webpackConfigHook },
      replayName: name,
    },
    history,
    workflowId,
  );
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The markers a patch left in a history (`patched(id)`: the id is in the marker's payload). */
export function markersOf(events: HistoryEvent[], patchId: string): HistoryEvent[] {
  return events.filter((e) => {
    const payload = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0];
    return payload !== undefined && defaultPayloadConverter.fromPayload<{ id?: string }>(payload).id === patchId;
  });
}
