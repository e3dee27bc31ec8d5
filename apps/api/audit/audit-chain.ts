import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { AuditRow } from '@kudak/database';
import type { TimelineEntry } from './timeline.builder';

/** The previous hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

export function rowHash(prevHash: string, entry: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(entry).digest('hex');
}

/** Rows for timeline entries, chained on from `prevHash`, numbered from `position`. */
export function chainRows(entries: TimelineEntry[], prevHash = GENESIS_HASH, position = 0): AuditRow[] {
  return entries.map((e, i) => {
    const entry = stringify(e) ?? '';
    const row: AuditRow = {
      position: position + i,
      workflowId: e.workflowId,
      runId: e.runId,
      eventId: e.eventId,
      entry,
      prevHash,
      hash: rowHash(prevHash, entry),
    };
    prevHash = row.hash;
    return row;
  });
}

export type AuditProblemKind = 'EDITED' | 'DELETED' | 'REORDERED' | 'INSERTED' | 'BROKEN_CHAIN' | 'MISSING';

export interface AuditProblem {
  kind: AuditProblemKind;
  /** The row's position in the stored log (0-based). */
  position: number;
  detail: string;
}

export interface AuditVerification {
  ok: boolean;
  storedRows: number;
  expectedRows: number;
  problems: AuditProblem[];
  /** Entries the verification appended first (the log was an untouched prefix of the history's). */
  appendedRows?: number;
}

/**
 * Recomputes the stored chain and compares it with the log derived anew from Temporal's histories.
 * An edited, deleted, inserted or reordered row is reported with its position, even when the
 * tamperer recomputed the hashes (the content no longer matches the history).
 */
export function verifyChain(stored: AuditRow[], expected: AuditRow[]): AuditVerification {
  const problems: AuditProblem[] = [];
  const expectedIndex = new Map(expected.map((r, i) => [r.entry, i]));
  stored.forEach((row, i) => {
    const prev = i === 0 ? GENESIS_HASH : stored[i - 1].hash;
    if (row.prevHash !== prev) {
      problems.push({ kind: 'BROKEN_CHAIN', position: i, detail: 'prev_hash does not match the row before' });
    }
    if (rowHash(row.prevHash, row.entry) !== row.hash) {
      problems.push({ kind: 'EDITED', position: i, detail: "the row's hash does not match its content" });
      return;
    }
    if (row.position !== i) {
      problems.push({ kind: 'REORDERED', position: i, detail: `stored position ${row.position} at index ${i}` });
      return;
    }
    if (expected[i]?.entry === row.entry) return;
    const at = expectedIndex.get(row.entry);
    if (at === undefined) {
      problems.push({ kind: 'EDITED', position: i, detail: "the row matches no event of Temporal's history" });
    } else if (at > i) {
      problems.push({ kind: 'DELETED', position: i, detail: `${at - i} row(s) missing before this one` });
    } else {
      problems.push({ kind: 'REORDERED', position: i, detail: `belongs at position ${at}` });
    }
  });
  if (stored.length < expected.length && problems.length === 0) {
    problems.push({
      kind: 'MISSING',
      position: stored.length,
      detail: `${expected.length - stored.length} row(s) of the history are not in the log`,
    });
  }
  return { ok: problems.length === 0, storedRows: stored.length, expectedRows: expected.length, problems };
}
