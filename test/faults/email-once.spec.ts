import { randomUUID } from 'node:crypto';
import type { Info } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { signMemorandumUpdate, type NotificationRequest } from '@kudak/contracts';
import { actors, CandidacyDriver, cityInput } from '../support/candidacy-fixtures';
import { startDevServerHarness, type LifecycleHarness } from '../support/lifecycle-harness';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { holdSqliteLock, type HeldSqliteLock } from '../support/sqlite-lock';
import { startTestActivities, type TestActivities } from '../support/test-activities';

// E-mail effectively once when the app database fails right after the SMTP server accepted a
// message: the SMTP sink on loopback lets another process take an exclusive lock on the SQLite file
// before it answers 250, so the worker cannot record the message as sent until the lock is gone.

const sqliteFile = () => process.env.DATABASE_URL!.slice('sqlite:'.length);

interface OutboxRow {
  key: string;
  recipient_id: string;
  message_id: string;
  status: string;
  attempts: number;
  smtp_response: string | null;
}

/**
 * Once the SMTP sink has received its next message, another process locks the app database for
 * `ms`, and only then does the sink answer 250: the sender cannot record the message as sent.
 */
function lockOnFirstAcceptance(smtp: SmtpSink, ms: number): Promise<HeldSqliteLock> {
  return new Promise((resolve, reject) => {
    let lock: Promise<HeldSqliteLock> | undefined;
    smtp.beforeAccepting = async () => {
      if (!lock) {
        lock = holdSqliteLock(sqliteFile(), ms);
        lock.then(resolve, reject);
      }
      await lock;
    };
  });
}

/** Message-IDs received more than once. */
const duplicates = (ids: (string | undefined)[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe('fault: the app database is locked right after the SMTP server accepts an e-mail', () => {
  let smtp: SmtpSink;
  let stack: LifecycleHarness;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startDevServerHarness({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await stack?.close();
    await smtp?.close();
  });

  // 12 s: longer than SQLite's old 10 s busy timeout, well within an attempt's minute, so the
  // sending attempt records it. 62 s: longer than an attempt may wait (it gives up 5 s before its
  // start-to-close timeout), so a later attempt records it from the acceptance it heartbeated.
  it.each([
    [12_000, 'the attempt that sent it records it', (attempts: number[]) => attempts.every((a) => a === 1)],
    [62_000, 'a later attempt records it, not sending again', (attempts: number[]) => attempts.some((a) => a > 1)],
  ])('lock held %d ms: a real worker sends each message once; %s', async (lockMs, _how, recordedAsExpected) => {
    const { env, acts, taskQueue } = stack;
    const cityId = `mailed-${lockMs}-${Date.now().toString(36)}`;
    const city = await CandidacyDriver.start(
      env.client,
      taskQueue,
      cityInput({ cityId, districts: 1, email: (id) => `${id}@isfahan.example` }),
    );
    await city.task('SIGN_MEMORANDUM');
    await acts.settled();

    const lock = lockOnFirstAcceptance(smtp, lockMs);
    await city.update(signMemorandumUpdate, { actor: actors.admin, reason: 'MoU signed' });
    // The decision's notifications go out in the background; the first one's acceptance takes the lock.
    const { takenAt, released } = await lock;
    const releasedAt = await released;
    smtp.beforeAccepting = undefined;

    const outbox = async () =>
      (await acts.knex('email_outbox').where('key', 'like', `${city.workflowId}/%`)) as OutboxRow[];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (await outbox()).some((row) => row.status !== 'sent')) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await acts.settled();
    const rows = await outbox();
    const ours = new Set(rows.map((r) => r.message_id));
    const ids = smtp.received.map((m) => m.messageId).filter((id) => ours.has(id!));
    console.log(
      `[fault] app database locked ${((releasedAt - takenAt) / 1000).toFixed(1)} s right after an SMTP acceptance: ` +
        `${ids.length} e-mails received, ${duplicates(ids).length} duplicates, ` +
        `${rows.filter((r) => r.status === 'sent').length} of ${rows.length} recorded sent ` +
        `(by attempt ${rows.map((r) => r.attempts).join(', ')})`,
    );
    expect(duplicates(ids)).toEqual([]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.message_id).sort()).toEqual([...ids].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'sent', smtp_response: expect.stringMatching(/^250\b/) });
    }
    expect(recordedAsExpected(rows.map((r) => r.attempts))).toBe(true);
  });
});

describe('notify: the retry of an attempt that could not record its send', () => {
  let smtp: SmtpSink;
  let acts: TestActivities;
  let notify: (req: NotificationRequest) => Promise<unknown>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    acts = await startTestActivities({ smtpUrl: smtp.url });
    notify = acts.activities.notify;
  });
  afterAll(async () => {
    await acts?.close();
    await smtp?.close();
  });
  beforeEach(() => {
    smtp.received.length = 0;
    smtp.beforeAccepting = undefined;
  });

  const request: NotificationRequest = {
    template: 'DECISION_RECORDED',
    cityId: 'isfahan',
    cityName: 'Isfahan',
    stage: 'COMMITMENT',
    recipients: [
      { id: 'focal-point', name: 'CFC focal point', role: 'administrator', locale: 'fa', email: 'fp@isfahan.example' },
    ],
    params: { decisionKind: 'MOU_SIGNED', reason: 'signed at the city council' },
  };

  /**
   * Runs one attempt of a scheduled notify activity (8 s start-to-close, so it gives up recording
   * after about 3 s) and collects what it heartbeats, as the worker would send to Temporal.
   */
  async function attempt(scheduled: Partial<Info>, attemptNo: number, heartbeatDetails?: unknown) {
    const activity = new MockActivityEnvironment(
      { ...scheduled, attempt: attemptNo, startToCloseTimeoutMs: 8_000, heartbeatDetails },
      { logger: new DefaultLogger('ERROR') },
    );
    const heartbeats: unknown[] = [];
    activity.on('heartbeat', (details: unknown) => heartbeats.push(details));
    let result: unknown;
    let error: Error | undefined;
    try {
      result = await activity.run(() => notify(request));
    } catch (err) {
      error = err as Error;
    }
    return { result, error, lastHeartbeat: heartbeats.at(-1) };
  }

  const scheduled = (): Partial<Info> => ({
    workflowExecution: { workflowId: `candidacy-isfahan-${randomUUID()}`, runId: 'run-1' },
    activityId: '7',
  });
  const outboxRow = async (info: Partial<Info>) =>
    (await acts
      .knex('email_outbox')
      .where('key', `${info.workflowExecution!.workflowId}/run-1/7`)
      .first()) as OutboxRow;

  it('finds the acceptance the failed attempt heartbeated, and records it without sending again', async () => {
    const info = scheduled();
    const lock = lockOnFirstAcceptance(smtp, 6_000);
    const first = await attempt(info, 1);
    expect(first.error).toMatchObject({ type: 'EmailSentButNotRecorded', nonRetryable: false });
    expect(first.lastHeartbeat).toEqual({ accepted: { 'focal-point': expect.stringMatching(/^250\b/) } });
    expect(await outboxRow(info)).toMatchObject({ status: 'sending', attempts: 1, smtp_response: null });
    await (
      await lock
    ).released;

    const retry = await attempt(info, 2, first.lastHeartbeat);
    expect(retry.error).toBeUndefined();
    expect(retry.result).toMatchObject({ emailsSent: 1 });
    expect(smtp.received).toHaveLength(1);
    expect(await outboxRow(info)).toMatchObject({
      status: 'sent',
      attempts: 2,
      smtp_response: (first.lastHeartbeat as { accepted: Record<string, string> }).accepted['focal-point'],
    });
  });

  it('what remains: with no acceptance on record anywhere, the retry sends again with the same Message-ID', async () => {
    const info = scheduled();
    const lock = lockOnFirstAcceptance(smtp, 6_000);
    const first = await attempt(info, 1);
    expect(first.error).toMatchObject({ type: 'EmailSentButNotRecorded' });
    await (
      await lock
    ).released;

    // As if the heartbeat had never reached Temporal (the worker killed right after the 250).
    const retry = await attempt(info, 2, undefined);
    expect(retry.result).toMatchObject({ emailsSent: 1 });
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[0].messageId).toBe(smtp.received[1].messageId);
  });
});
