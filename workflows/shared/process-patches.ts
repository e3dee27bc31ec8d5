import { patched } from '@temporalio/workflow';
import { PROCESS_PATCHES, type ProcessChange } from '@kudak/contracts';

export type ProcessFeatures = Record<ProcessChange, boolean>;

/**
 * Which of the process changes (PROCESS_PATCHES) this run has, of those it asks about (a district
 * plan needs only the notices). Runs recorded before a change replay without its marker and keep
 * their old commands. Call once, at the start of the workflow function: the answer holds for the run.
 */
export function processFeatures(
  asked: readonly ProcessChange[] = Object.keys(PROCESS_PATCHES) as ProcessChange[],
): ProcessFeatures {
  const changes = Object.entries(PROCESS_PATCHES) as Array<[ProcessChange, string]>;
  return Object.fromEntries(
    changes.map(([change, id]) => [change, asked.includes(change) && patched(id)]),
  ) as ProcessFeatures;
}
