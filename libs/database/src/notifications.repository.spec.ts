import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { EmailOutboxRepository } from './email-outbox.repository';
import { createKnex } from './knex-options';
import { NotificationsRepository, type NewInboxNotification } from './notifications.repository';
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

  it("lists a recipient's notifications newest first, a page at a time", async () => {
    const all = await inbox.listForRecipient('r1');
    expect(all.map((n) => n.key)).toEqual(['k3', 'k2', 'k1']);
    expect(all[0]).toMatchObject({
      recipientId: 'r1',
      recipientRole: 'reviewer',
      template: 'STAGE_OPENED',
      createdAt: '2026-11-03T04:30:00.000Z',
      readAt: undefined,
    });
    expect((await inbox.listForRecipient('r1', { limit: 1, offset: 1 })).map((n) => n.key)).toEqual(['k2']);
    expect(await inbox.listForRecipient('nobody')).toEqual([]);
  });

  it('marks a notification read once, and only for its recipient', async () => {
    const [latest] = await inbox.listForRecipient('r1', { limit: 1 });
    expect(await inbox.markRead('r2', latest.id)).toBe(false);
    expect(await inbox.markRead('r1', latest.id, '2026-11-04T00:00:00Z')).toBe(true);
    expect(await inbox.markRead('r1', latest.id)).toBe(false);
    expect((await inbox.listForRecipient('r1', { limit: 1 }))[0].readAt).toBe('2026-11-04T00:00:00.000Z');
  });

  it.each([
    [{ limit: 0 }, 'limit must be an integer from 1 to 100, got 0'],
    [{ limit: 101 }, 'limit must be an integer from 1 to 100, got 101'],
    [{ limit: 2.5 }, 'limit must be an integer from 1 to 100, got 2.5'],
    [{ offset: -1 }, 'offset must be a non-negative integer, got -1'],
  ])('refuses the page %p', async (page, message) => {
    await expect(inbox.listForRecipient('r1', page)).rejects.toThrow(message);
  });

  it('refuses an empty recipient id', async () => {
    await expect(inbox.listForRecipient('')).rejects.toThrow('recipientId must be a non-empty string');
  });

  it('claims an e-mail until it is marked sent, counting attempts', async () => {
    const email = { key: 'k9', recipientId: 'r1', email: 'r1@example.org', messageId: '<x@kudak.local>' };
    expect(await outbox.claim(email)).toEqual({ status: 'claimed', attempt: 1 });
    await outbox.recordFailure('k9', 'r1', '421 try later');
    expect(await outbox.claim(email)).toEqual({ status: 'claimed', attempt: 2 });
    await outbox.markSent('k9', 'r1', '250 2.0.0 Ok: queued as 4Bq7Xh');
    expect(await outbox.claim(email)).toEqual({ status: 'sent' });
    expect(await outbox.countSent('k9')).toBe(1);
    expect(await knex('email_outbox').where({ key: 'k9' }).first()).toMatchObject({
      status: 'sent',
      attempts: 2,
      last_error: null,
      smtp_response: '250 2.0.0 Ok: queued as 4Bq7Xh',
      message_id: '<x@kudak.local>',
    });
  });
});
