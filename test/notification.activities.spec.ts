import { randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import type { Info } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { Knex } from 'knex';
import { KudakConfig, KudakConfigModule } from '@kudak/config';
import type { Contact, NotificationRequest } from '@kudak/contracts';
import { KNEX, NotificationsRepository } from '@kudak/database';
import { ActivitiesModule } from '../activities/activities.module';
import { NotificationActivities } from '../activities/notification.activities';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from './support/test-databases';

// The notify activity with a real SMTP server on 127.0.0.1 and a real database: one inbox row per
// recipient and one e-mail per recipient with an address, however often the activity is retried.

const maryam: Contact = {
  id: 'c-fa',
  name: 'مریم رضایی',
  role: 'district_submitter',
  email: 'maryam@isfahan.example',
  locale: 'fa',
};
const john: Contact = {
  id: 'c-en',
  name: 'John Doe',
  role: 'unicef_officer',
  email: 'john@unicef.example',
  locale: 'en',
};
const reza: Contact = { id: 'c-no-mail', name: 'رضا کریمی', role: 'reviewer', locale: 'fa' };

function reminder(recipients: Contact[]): NotificationRequest {
  return {
    template: 'TASK_REMINDER',
    cityId: 'isfahan',
    cityName: 'Isfahan',
    country: 'IR',
    stage: 'DISTRICT_PLANNING',
    recipients,
    params: {
      taskKind: 'SUBMIT_DISTRICT_PLAN',
      taskId: 'submit_district_plan-1',
      districtId: 'district-4',
      dueAt: '2026-11-28T12:00:00Z',
    },
  };
}

async function startActivities(databaseUrl: string, smtpUrl?: string): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({ imports: [KudakConfigModule, ActivitiesModule] })
    .overrideProvider(KudakConfig)
    .useValue(KudakConfig.fromEnvironment({ DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl }))
    .compile();
  moduleRef.useLogger(['error']);
  await moduleRef.init();
  return moduleRef;
}

/** A fresh scheduled activity; the same info again stands for a retry of it. */
function scheduled(activityId: string, workflowId = `candidacy-isfahan-${randomUUID()}`): Partial<Info> {
  return { workflowExecution: { workflowId, runId: 'run-1' }, activityId };
}

function run<T>(info: Partial<Info>, fn: () => Promise<T>): Promise<T> {
  return new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') }).run(fn);
}

describe.each(testDatabaseKinds())('notify on %s', (kind) => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let withMail: TestingModule;
  let sut: NotificationActivities;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    smtp = await startSmtpSink({ user: 'kudak', pass: 's3cret' });
    withMail = await startActivities(db.url, smtp.url);
    sut = withMail.get(NotificationActivities);
    knex = withMail.get<Knex>(KNEX);
  });

  afterAll(async () => {
    await withMail?.close();
    await smtp?.close();
    await db?.drop();
  });

  beforeEach(() => {
    smtp.received.length = 0;
    smtp.refuse.clear();
  });

  it('e-mails each recipient once and files one inbox row each, however often the activity runs', async () => {
    const info = scheduled('4');
    const req = reminder([maryam, john, reza]);
    const first = await run(info, () => sut.notify(req));
    const retry = await run(info, () => sut.notify(req));

    const key = `${info.workflowExecution!.workflowId}/run-1/4`;
    expect(first).toEqual({ key, inboxRecords: 3, emailsSent: 2 });
    expect(retry).toEqual(first);
    expect(smtp.received.map((m) => m.to).sort()).toEqual([['john@unicef.example'], ['maryam@isfahan.example']]);

    const persian = smtp.received.find((m) => m.to.includes(maryam.email!))!;
    expect(persian.language).toBe('fa');
    expect(persian.subject).toBe('یادآوری برای Isfahan: ارسال برنامهٔ منطقه');
    expect(persian.text).toContain('مریم رضایی گرامی،');
    expect(persian.text).toContain('در مرحلهٔ «برنامه‌ریزی مناطق» نامزدی Isfahan در انتظار اقدام شماست');
    // Solar Hijri first, in Persian digits, with the Gregorian date beside it.
    expect(persian.text).toContain('مهلت: ۱۴۰۵/۰۹/۰۷ (۲۸ نوامبر ۲۰۲۶)، ساعت ۱۲:۰۰ به وقت UTC');

    const english = smtp.received.find((m) => m.to.includes(john.email!))!;
    expect(english.language).toBe('en');
    expect(english.subject).toBe('Reminder for Isfahan: Submit the district plan');
    expect(english.text).toContain('Dear John Doe,');
    expect(english.text).toContain('Due: 28 November 2026 (7 Azar 1405 SH), 12:00 UTC');
    expect(english.text).toContain('District: district-4');

    // Deterministic Message-IDs, different per recipient.
    expect(persian.messageId).toMatch(/^<[0-9a-f]{40}@kudak\.local>$/);
    expect(english.messageId).toMatch(/^<[0-9a-f]{40}@kudak\.local>$/);
    expect(persian.messageId).not.toBe(english.messageId);

    const inbox = await knex('notifications').where({ key }).orderBy('recipient_id');
    expect(inbox.map((r) => [r.recipient_id, r.locale, r.template])).toEqual([
      ['c-en', 'en', 'TASK_REMINDER'],
      ['c-fa', 'fa', 'TASK_REMINDER'],
      ['c-no-mail', 'fa', 'TASK_REMINDER'],
    ]);
    expect(inbox[0]).toMatchObject({ subject: english.subject, body: english.text, city_id: 'isfahan', country: 'IR' });
    expect(await knex('email_outbox').where({ key, status: 'sent' })).toHaveLength(2);

    // The inbox as the API reads it, scoped to the token's country and cities, on this database.
    const repository = withMail.get(NotificationsRepository);
    const scope = { recipientId: 'c-no-mail', country: 'IR', cities: ['isfahan'] };
    const [latest] = await repository.list(scope, { limit: 1 });
    expect(latest).toMatchObject({
      key,
      recipientRole: 'reviewer',
      locale: 'fa',
      template: 'TASK_REMINDER',
      country: 'IR',
    });
    expect(latest.body).toContain('۱۴۰۵/۰۹/۰۷');
    expect(await repository.list({ ...scope, country: 'AF' })).toEqual([]);
    const unread = await repository.countUnread(scope);
    expect(await repository.markRead({ ...scope, cities: ['tehran'] }, latest.id)).toBeUndefined();
    expect((await repository.markRead(scope, latest.id))?.readAt).toEqual(expect.any(String));
    expect(await repository.countUnread(scope)).toBe(unread - 1);
  });

  it('sends again for another activity of the same workflow', async () => {
    const workflowId = `candidacy-isfahan-${randomUUID()}`;
    const a = await run(scheduled('4', workflowId), () => sut.notify(reminder([john])));
    const b = await run(scheduled('5', workflowId), () => sut.notify(reminder([john])));
    expect(a.key).not.toBe(b.key);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[0].messageId).not.toBe(smtp.received[1].messageId);
  });

  it('after a refused address, the retry sends only what did not go out', async () => {
    const info = scheduled('8');
    const req = reminder([maryam, john]);
    smtp.refuse.add(john.email!);
    const failure = await run(info, () => sut.notify(req)).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'EmailDeliveryFailed', nonRetryable: false });
    expect((failure as Error).message).toContain('c-en <john@unicef.example>');
    expect(smtp.received.map((m) => m.to)).toEqual([['maryam@isfahan.example']]);

    smtp.refuse.clear();
    const retried = await run(info, () => sut.notify(req));
    expect(retried).toMatchObject({ inboxRecords: 2, emailsSent: 2 });
    expect(smtp.received.map((m) => m.to)).toEqual([['maryam@isfahan.example'], ['john@unicef.example']]);
    const outbox = await knex('email_outbox').where({ key: retried.key }).orderBy('recipient_id');
    expect(outbox.map((r) => [r.recipient_id, r.status, r.attempts])).toEqual([
      ['c-en', 'sent', 2],
      ['c-fa', 'sent', 1],
    ]);
  });

  it('writes only inbox rows when SMTP_URL is not set', async () => {
    const inboxOnly = await startActivities(db.url);
    try {
      const info = scheduled('2');
      const req: NotificationRequest = {
        template: 'AWARD_GRANTED',
        cityId: 'isfahan',
        cityName: 'Isfahan',
        stage: 'ACCEDED',
        // A contact listed twice still gets one inbox row.
        recipients: [maryam, john, { ...maryam, name: 'Maryam' }],
        params: { awardKind: 'RECOGNITION', awardedAt: '2027-01-10T10:00:00Z', expiresAt: '2031-01-10T10:00:00Z' },
      };
      const result = await run(info, () => inboxOnly.get(NotificationActivities).notify(req));
      expect(result).toMatchObject({ inboxRecords: 2, emailsSent: 0 });
      expect(smtp.received).toHaveLength(0);
      expect(await knex('email_outbox').where({ key: result.key })).toHaveLength(0);
      const rows = await knex('notifications').where({ key: result.key }).orderBy('recipient_id');
      expect(rows[0].subject).toBe('Isfahan has been awarded recognition as a Child Friendly City');
      expect(rows[0].body).toContain('Valid until: 10 January 2031 (20 Dey 1409 SH), 10:00 UTC');
      expect(rows[1].subject).toBe('عنوان شهر دوستدار کودک به Isfahan اعطا شد');
      expect(rows[1].body).toContain('مریم رضایی گرامی،');
      expect(rows[1].body).toContain('اعتبار تا: ۱۴۰۹/۱۰/۲۰');
    } finally {
      await inboxOnly.close();
    }
  });

  it('refuses a malformed request without retrying, naming every problem', async () => {
    const bad = {
      ...reminder([{ ...john, email: 'not-an-address', locale: 'de' as 'en' }]),
      params: { dueAt: '28/11/2026', note: { nested: true } },
    } as unknown as NotificationRequest;
    const failure = await run(scheduled('1'), () => sut.notify(bad)).catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'InvalidActivityInput', nonRetryable: true });
    const message = (failure as Error).message;
    expect(message).toContain('recipients[0].locale must be one of fa, en; got "de"');
    expect(message).toContain('recipients[0].email must be an e-mail address; got "not-an-address"');
    expect(message).toContain('params.dueAt must be an ISO-8601 instant');
    expect(message).toContain('params.note must be a string or a finite number');
    expect(smtp.received).toHaveLength(0);
  });
});
