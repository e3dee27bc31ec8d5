import { iso } from '@kudak/contracts';

/**
 * Workflow time. Inside a workflow the SDK replaces Date with a deterministic clock that reads the
 * current workflow task's time, so this is replay-safe; it is the one sanctioned use.
 */
export function nowMs(): number {
  // eslint-disable-next-line no-restricted-syntax -- the SDK's deterministic Date.now
  return Date.now();
}

export function nowIso(): string {
  return iso(nowMs());
}
