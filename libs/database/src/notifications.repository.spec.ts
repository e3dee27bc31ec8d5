import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { EmailOutboxRepository } from './email-outbox.repository';
import { createKnex } from './knex-options';
import { NotificationsRepository, type InboxScope, type NewInboxNotification } from './notifications.repository';
import { migrateToLatest } from './run-migrations';

function notice(key: string, recipientId: string): NewInboxNotification {
  return {
    key,
    recipientId,
    recipientRole: 'reviewer',
    workflowId: 'candidacy-isfahan',
    cityId: 'isfahan',
    template: 'STAGE_OPENED',
    locale: 'en',
    subject: `Subject of ${key}`,
    body: 'Body',
  };
}

describe('inbox and outbox repositories on SQLite', () => {
  let dir: string;
  let knex: Knex;
  let inbox: NotificationsRepository;
  let outbox: EmailOutboxRepository;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kudak-inbox-'));
    knex = createKnex({ client: 'better-sqlite3', connection: path.join(dir, 'kudak.sqlite') });
    await migrateToLatest(knex);
    inbox = new NotificationsRepository(knex);
    outbox = new EmailOutboxRepository(knex);
    await inbox.insertOnce([notice('k1', 'r1'), notice('k1', 'r2')], '2026-11-01T08:00:00Z');
    await inbox.insertOnce([notice('k2', 'r1')], '2026-11-02T08:00:00Z');
    await inbox.insertOnce([notice('k3', 'r1')], '2026-11-03T08:00:00+03:30');
  });

  afterAll(async () => {
    await knex?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('inserts each (key, recipient) once', async () => {
    expect(await inbox.insertOnce([notice('k1', 'r1'), notice('k1', 'r3')], new Date())).toBe(1);
    expect(await inbox.countForKey('k1')).toBe(3);
    expect(await inbox.insertOnce([], new Date())).toBe(0);
  });

  const r1: InboxScope = { recipientId: 'r1', country: 'IR', cities: ['*'] };

  it("lists a recipient's notifications newest first, a page at a time", async () => {
    const all = await inbox.list(r1);
    expect(all.map((n) => n.key)).toEqual(['k3', 'k2', 'k1']);
    expect(all[0]).toMatchObject({
      recipientId: 'r1',
      recipientRole: 'reviewer',
      template: 'STAGE_OPENED',
      createdAt: '2026-11-03T04:30:00.000Z',
      readAt: undefined,
    });
    expect((await inbox.list(r1, { limit: 1, offset: 1 })).map((n) => n.key)).toEqual(['k2']);
    expect(await inbox.list({ ...r1, recipientId: 'nobody' })).toEqual([]);
  });

  it('reads only the rows of the scope: its country (or none recorded) and its cities', async () => {
    const at = '2026-12-01T08:00:00Z';
    await inbox.insertOnce([{ ...notice('s1', 'r5'), country: 'IR' }], at);
    await inbox.insertOnce([{ ...notice('s2', 'r5'), country: 'IR', cityId: 'tehran' }], at);
    await inbox.insertOnce([{ ...notice('s3', 'r5'), country: 'AF', cityId: 'herat' }], at);
    await inbox.insertOnce([{ ...notice('s4', 'r5'), cityId: 'tehran' }], at); // before countries were recorded
    const keys = async (country: string, cities: string[]) =>
      (await inbox.list({ recipientId: 'r5', country, cities })).map((n) => n.key).sort();
    expect(await keys('IR', ['*'])).toEqual(['s1', 's2', 's4']);
    expect(await keys('IR', ['isfahan'])).toEqual(['s1']);
    expect(await keys('IR', ['tehran'])).toEqual(['s2', 's4']);
    expect(await keys('AF', ['*'])).toEqual(['s3', 's4']);
    expect(await keys('AF', ['isfahan'])).toEqual([]);
    expect((await inbox.list({ recipientId: 'r5', country: 'IR', cities: ['isfahan'] }))[0]).toMatchObject({
      country: 'IR',
    });
    expect(await inbox.countUnread({ recipientId: 'r5', country: 'IR', cities: ['tehran'] })).toBe(2);
  });

  it('marks a notification read once, only within its inbox, and counts what is unread', async () => {
    const [latest] = await inbox.list(r1, { limit: 1 });
    expect(await inbox.countUnread(r1)).toBe(3);
    expect(await inbox.markRead({ ...r1, recipientId: 'r2' }, latest.id)).toBeUndefined();
    expect(await inbox.markRead({ ...r1, cities: ['tehran'] }, latest.id)).toBeUndefined();
    expect(await inbox.countUnread(r1)).toBe(3);
    expect(await inbox.markRead(r1, latest.id, '2026-11-04T00:00:00Z')).toMatchObject({
      key: 'k3',
      readAt: '2026-11-04T00:00:00.000Z',
    });
    expect((await inbox.markRead(r1, latest.id, '2026-11-05T00:00:00Z'))?.readAt).toBe('2026-11-04T00:00:00.000Z');
    expect((await inbox.list(r1, { limit: 1 }))[0].readAt).toBe('2026-11-04T00:00:00.000Z');
    expect(await inbox.countUnread(r1)).toBe(2);
  });

  it.each([
    [{ limit: 0 }, 'limit must be an integer from 1 to 100, got 0'],
    [{ limit: 101 }, 'limit must be an integer from 1 to 100, got 101'],
    [{ limit: 2.5 }, 'limit must be an integer from 1 to 100, got 2.5'],
    [{ offset: -1 }, 'offset must be a non-negative integer, got -1'],
  ])('refuses the page %p', async (page, message) => {
    await expect(inbox.list(r1, page)).rejects.toThrow(message);
  });

  it('refuses an empty recipient id', async () => {
    await expect(inbox.list({ ...r1, recipientId: '' })).rejects.toThrow('recipientId must be a non-empty string');
  });

  it('claims an e-mail until it is marked sent, counting attempts', async () => {
    const email = { key: 'k9', recipientId: 'r1', email: 'r1@example.org', messageId: '<x@kudak.local>' };
    expect(await outbox.claim(email)).toBe('claimed');
    await outbox.recordFailure('k9', 'r1', '421 try later');
    expect(await outbox.claim(email)).toBe('claimed');
    await outbox.markSent('k9', 'r1');
    expect(await outbox.claim(email)).toBe('sent');
    expect(await outbox.countSent('k9')).toBe(1);
    expect(await knex('email_outbox').where({ key: 'k9' }).first()).toMatchObject({
      status: 'sent',
      attempts: 2,
      last_error: null,
      message_id: '<x@kudak.local>',
    });
  });
});
