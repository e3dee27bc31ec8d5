import { upsertSearchAttributes, uuid4 } from '@temporalio/workflow';
import { OVERDUE_SEARCH_ATTRIBUTE, type DecisionRecord } from '@kudak/contracts';
import { nowIso } from './clock';
import type { SideEffects } from './side-effects';

/** Appends an accepted decision (id and workflow time added) to the log and records it. */
export function logDecision(
  log: DecisionRecord[],
  effects: SideEffects,
  decision: Omit<DecisionRecord, 'id' | 'at'>,
): DecisionRecord {
  const logged: DecisionRecord = { id: uuid4(), at: nowIso(), ...decision };
  log.push(logged);
  effects.recordDecision(logged);
  return logged;
}

/**
 * Keeps the Overdue search attribute equal to a flag, upserting only when it changes. `shown`
 * is what the workflow has already set, if anything.
 */
export function overduePublisher(shown?: boolean): (overdue: boolean) => void {
  return (overdue) => {
    if (overdue === shown) return;
    shown = overdue;
    upsertSearchAttributes([{ key: OVERDUE_SEARCH_ATTRIBUTE, value: overdue }]);
  };
}
