import { ApiDriver, approveDistrictPlan, STEPS } from '../support/api-driver';
import {
  activitiesSettled,
  cityWorkflowIds,
  deliveryReport,
  DELIVERED_ONCE,
  scheduledNotices,
} from '../support/delivery-checks';
import { ProcessStack, waitUntil } from '../support/process-stack';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink';

// The SMTP server (a real one on loopback, SMTP_URL) stopped for 30 s while a candidacy's decisions
// make notifications fall due, then started again on the same port: the decisions and the inbox do
// not wait for it, and each e-mail is delivered once after it is back.

const SMTP_DOWN_MS = 30_000;
const CITIES = ['qom', 'arak'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault: the SMTP server is down while notifications fall due', () => {
  let smtp: SmtpSink | undefined;
  let stack: ProcessStack;
  const received: ReceivedMail[] = [];
  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await ProcessStack.start({ name: 'smtp-down', smtpUrl: smtp.url });
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it(`delivers each e-mail once after a ${SMTP_DOWN_MS / 1000} s outage`, async () => {
    const cities = CITIES.map((c) => new ApiDriver(stack, c));
    const port = Number(new URL(smtp!.url).port);
    for (const city of cities) {
      await city.begin();
      await city.stateWhen('the MoU task', (s) => s.openTasks.some((t) => t.kind === 'SIGN_MEMORANDUM'));
    }

    // The first server's messages are read after the outage: one in flight as it closes still counts.
    const before = smtp!;
    await before.close();
    smtp = undefined;
    const downAt = Date.now();
    // From the MoU to a returned action plan: four stages opened, each notified by e-mail.
    await Promise.all(
      cities.map(async (city) => {
        await city.take(STEPS.memorandum);
        await approveDistrictPlan(city);
        await city.take(STEPS.input(0));
        await city.take(STEPS.submission(1));
        await city.take(STEPS.ministryReview('RETURN', 1));
        await city.stateWhen('the action plan again', (s) => s.openTasks.some((t) => t.kind === 'SUBMIT_ACTION_PLAN'));
      }),
    );

    const inCities = `(${CITIES.map(() => '?').join(', ')})`;
    const outbox = () =>
      stack.query<{ status: string; attempts: number }>(
        `SELECT o.status, o.attempts FROM email_outbox o JOIN notifications n ON n.key = o.key AND n.recipient_id = o.recipient_id
           WHERE n.city_id IN ${inCities}`,
        ...CITIES,
      );
    const client = await stack.temporalClient();
    const workflowIds = CITIES.flatMap(cityWorkflowIds);
    const emailsScheduled = async () => (await scheduledNotices(client, workflowIds)).filter((n) => n.email).length;
    // The server stays down for the outage and, on a loaded machine, until every e-mail the
    // decisions scheduled has its outbox row: each of them fell due while it was down.
    await sleep(downAt + SMTP_DOWN_MS - Date.now());
    await waitUntil(
      'every scheduled e-mail in the outbox',
      60_000,
      async () => outbox().length >= (await emailsScheduled()),
    );
    const whileDown = outbox();
    const fellDue = whileDown.filter((r) => r.status !== 'sent').length;
    const sentBefore = whileDown.length - fellDue;
    received.push(...before.received);
    const inboxWhileDown = stack.query<{ n: number }>(
      `SELECT count(*) AS n FROM notifications WHERE city_id IN ${inCities}`,
      ...CITIES,
    )[0].n;

    smtp = await startSmtpSink(undefined, port);
    const upAt = Date.now();
    const settleMs = await activitiesSettled(client, workflowIds, 120_000);
    received.push(...smtp.received);

    const notices = await scheduledNotices(client, workflowIds);
    const delivery = deliveryReport(stack, CITIES, notices, received);
    const created = new Map(
      stack
        .query<{ key: string; recipient_id: string; created_at: string; message_id: string }>(
          `SELECT n.key, n.recipient_id, n.created_at, o.message_id FROM notifications n
             JOIN email_outbox o ON o.key = n.key AND o.recipient_id = n.recipient_id WHERE n.city_id IN ${inCities}`,
          ...CITIES,
        )
        .map((r) => [r.message_id, Date.parse(r.created_at)]),
    );
    const delayed = smtp.received.filter((m) => created.has(m.messageId!));
    const delays = delayed.map((m) => m.receivedAt - created.get(m.messageId!)!);
    const afterReturn = delayed.map((m) => m.receivedAt - upAt);
    const attempts = Math.max(...outbox().map((r) => r.attempts));
    const seconds = (ms: number) => (ms / 1000).toFixed(1);

    console.log(
      `[fault] SMTP down ${seconds(upAt - downAt)} s: ${fellDue} e-mails fell due while it was down ` +
        `(${inboxWhileDown} inbox rows written meanwhile; decisions answered in at most ${seconds(Math.max(...cities.flatMap((c) => c.decisionAnswers.map((a) => a.ms))))} s); ` +
        `after it came back ${delayed.length} delivered, ${delivery.emailsMissing.length} missing, ` +
        `${delivery.emailsDuplicated.length} duplicated (of ${delivery.emails} e-mails in all, up to ${attempts} attempts each); ` +
        `delay from notification to delivery ${seconds(Math.min(...delays))}-${seconds(Math.max(...delays))} s, ` +
        `the last ${seconds(Math.max(...afterReturn))} s after the server was back; activities settled in ${seconds(settleMs)} s`,
    );

    // Every e-mail not sent before the outage fell due during it, and went out after it.
    expect(fellDue).toBeGreaterThan(0);
    expect(fellDue).toBe(delivery.emails - sentBefore);
    expect(delayed).toHaveLength(fellDue);
    expect(Math.min(...afterReturn)).toBeGreaterThanOrEqual(0);
    expect(delivery).toMatchObject(DELIVERED_ONCE);
    expect(delivery.emails).toBe(delivery.notices);
  }, 240_000);
});
