import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  candidacyWorkflowId,
  districtPlanWorkflowId,
  type DecisionRecord,
  type NotificationRequest,
} from '@kudak/contracts';
import { DISTRICT, type ApiDriver } from './api-driver';
import { waitUntil, type ProcessStack } from './process-stack';
import type { ReceivedMail } from './smtp-sink';

// What a fault test checks after the fault: every acknowledged decision once in the candidacy's
// state, on its timeline and in the database; every notification the workflows scheduled once in
// the inbox and, for a contact with an address, once by e-mail.

/** A city's workflows: its candidacy and its district's plan. */
export function cityWorkflowIds(cityId: string): string[] {
  const candidacy = candidacyWorkflowId(cityId);
  return [candidacy, districtPlanWorkflowId(candidacy, DISTRICT)];
}

/**
 * Waits until no activity of the workflows is pending (scheduled, running or waiting to retry) and
 * no workflow task either, twice in a row a second apart: between one activity's completion and the
 * next one the workflow schedules there is a moment with neither. An activity lost with a killed
 * worker is retried once its start-to-close timeout (a minute) has passed. Resolves with the ms
 * waited.
 */
export async function activitiesSettled(client: Client, workflowIds: string[], ms: number): Promise<number> {
  const idle = async () => {
    const busy = await Promise.all(
      workflowIds.map(async (id) => {
        try {
          const { raw } = await client.workflow.getHandle(id).describe();
          return (raw.pendingActivities?.length ?? 0) > 0 || raw.pendingWorkflowTask != null;
        } catch {
          return true; // not readable now: not settled
        }
      }),
    );
    return busy.every((b) => !b);
  };
  return waitUntil('every activity to finish', ms, async () => {
    if (!(await idle())) return false;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return idle();
  });
}

/** One notification to one recipient, as a notify activity the workflow scheduled must deliver it. */
export interface ScheduledNotice {
  /** The activity's key (workflow id / run id / activity id), as the inbox and the outbox store it. */
  key: string;
  recipientId: string;
  email?: string;
}

/** Every notify activity the workflows' latest runs scheduled, one notice per recipient. */
export async function scheduledNotices(client: Client, workflowIds: string[]): Promise<ScheduledNotice[]> {
  const notices: ScheduledNotice[] = [];
  for (const workflowId of workflowIds) {
    const handle = client.workflow.getHandle(workflowId);
    const { runId } = await handle.describe();
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name !== 'notify') continue;
      const [request] = (scheduled.input?.payloads ?? []).map((p) =>
        defaultPayloadConverter.fromPayload<NotificationRequest>(p),
      );
      const ids = new Set<string>();
      for (const r of request.recipients) {
        if (ids.has(r.id)) continue; // one inbox row per recipient id
        ids.add(r.id);
        notices.push({ key: `${workflowId}/${runId}/${scheduled.activityId}`, recipientId: r.id, email: r.email });
      }
    }
  }
  return notices;
}

/** Values that occur more than once. */
export function repeated<T>(values: T[]): T[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

const missingFrom = <T>(expected: T[], actual: T[]) => expected.filter((v) => !actual.includes(v));

export interface DeliveryReport {
  notices: number;
  /** Notices with no inbox row, and inbox rows no scheduled notice explains. */
  inboxMissing: string[];
  inboxUnexpected: string[];
  emails: number;
  /** Outbox rows of the expected e-mails that are not 'sent'. */
  emailsNotSent: string[];
  /** Expected e-mails the SMTP server never received, received ones nobody expected, and Message-IDs received more than once. */
  emailsMissing: string[];
  emailsUnexpected: string[];
  emailsDuplicated: string[];
}

/** A delivery report's lists when every notice is in the inbox once and every e-mail was sent and received once. */
export const DELIVERED_ONCE: Partial<DeliveryReport> = {
  inboxMissing: [],
  inboxUnexpected: [],
  emailsNotSent: [],
  emailsMissing: [],
  emailsUnexpected: [],
  emailsDuplicated: [],
};

/**
 * The inbox rows, the outbox rows and the messages the SMTP server received for the cities,
 * against the notices the workflows scheduled (by key and recipient; e-mails by Message-ID).
 */
export function deliveryReport(
  stack: ProcessStack,
  cityIds: string[],
  notices: ScheduledNotice[],
  received: ReceivedMail[] = [],
): DeliveryReport {
  const id = (n: { key: string; recipientId: string }) => `${n.key} -> ${n.recipientId}`;
  const marks = cityIds.map(() => '?').join(', ');
  const inbox = stack
    .query<{ key: string; recipient_id: string }>(
      `SELECT key, recipient_id FROM notifications WHERE city_id IN (${marks})`,
      ...cityIds,
    )
    .map((r) => id({ key: r.key, recipientId: r.recipient_id }));
  const outbox = stack
    .query<{ key: string; recipient_id: string; message_id: string; status: string }>(
      `SELECT key, recipient_id, message_id, status FROM email_outbox WHERE ${cityIds.map(() => 'key LIKE ?').join(' OR ')}`,
      ...cityIds.map((c) => `${candidacyWorkflowId(c)}/%`),
    )
    .map((r) => ({ id: id({ key: r.key, recipientId: r.recipient_id }), messageId: r.message_id, status: r.status }));
  const expected = notices.map(id);
  const emailed = notices.filter((n) => n.email).map(id);
  const expectedMessageIds = outbox.filter((r) => emailed.includes(r.id)).map((r) => r.messageId);
  const ours = new Set(outbox.map((r) => r.messageId));
  const receivedIds = received.map((m) => m.messageId ?? '').filter((m) => ours.has(m));
  return {
    notices: expected.length,
    inboxMissing: missingFrom(expected, inbox),
    inboxUnexpected: [...missingFrom(inbox, expected), ...repeated(inbox)],
    emails: emailed.length,
    emailsNotSent: [
      ...missingFrom(
        emailed,
        outbox.map((r) => r.id),
      ),
      ...outbox.filter((r) => emailed.includes(r.id) && r.status !== 'sent').map((r) => `${r.id}: ${r.status}`),
    ],
    emailsMissing: missingFrom(expectedMessageIds, receivedIds),
    emailsUnexpected: [
      ...outbox.filter((r) => !emailed.includes(r.id)).map((r) => r.id),
      ...missingFrom(receivedIds, expectedMessageIds),
    ],
    emailsDuplicated: repeated(receivedIds),
  };
}

/** Where each acknowledged decision is found, by id: how often in the state, the timeline and the database. */
export interface DecisionPresence {
  id: string;
  kind: string;
  inState: number;
  onTimeline: number;
  inDatabase: number;
}

/**
 * Each acknowledged decision's presence in the candidacy's state (district decisions are in their
 * district's workflow, so only the timeline and the database show them), on the timeline and in
 * the decisions table; plus the decisions taken by people that nobody acknowledged (a retry that
 * acted twice would show here).
 */
export async function decisionPresence(
  stack: ProcessStack,
  city: ApiDriver,
  acknowledged: DecisionRecord[],
): Promise<{ presence: DecisionPresence[]; unacknowledged: string[] }> {
  const state = await city.stateWhen('its state', () => true);
  const timeline = await city.timeline();
  const rows = stack.query<{ decision_id: string; workflow_id: string }>(
    'SELECT decision_id, workflow_id FROM decisions WHERE city_id = ?',
    city.cityId,
  );
  const count = <T>(values: T[], match: (v: T) => boolean) => values.filter(match).length;
  const district = (d: DecisionRecord) => d.kind.startsWith('DISTRICT_');
  const presence = acknowledged.map((d) => ({
    id: d.id,
    kind: d.kind,
    inState: district(d) ? 1 : count(state.decisions, (s) => s.id === d.id),
    onTimeline: count(timeline, (e) => e.details?.decisionId === d.id),
    inDatabase: count(rows, (r) => r.decision_id === d.id),
  }));
  // The workflow's own decisions (a committee's outcome) have an actor no token has.
  const byPeople = state.decisions.filter((d) => d.actor.id !== 'steering-committee').map((d) => d.id);
  const ids = acknowledged.map((d) => d.id);
  return { presence, unacknowledged: byPeople.filter((d) => !ids.includes(d)) };
}

/** The presences that are not exactly once in each place. */
export const notExactlyOnce = (presence: DecisionPresence[]) =>
  presence.filter((p) => p.inState !== 1 || p.onTimeline !== 1 || p.inDatabase !== 1);
