import { patched } from '@temporalio/workflow';

/**
 * Marks workflows that keep their open deadlines in the memo (DEADLINES_MEMO_KEY). Histories
 * recorded before it replay without the memo upserts. Its own module so the patch test can bundle
 * the code as it was before the change (test/fixtures/before-deadlines-memo).
 */
export const DEADLINES_MEMO_PATCH = 'deadlines-in-memo';

export function keepsDeadlinesInMemo(): boolean {
  return patched(DEADLINES_MEMO_PATCH);
}
