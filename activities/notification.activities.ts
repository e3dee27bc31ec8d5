import { Injectable, Logger } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/common';
import {
  CANDIDACY_STAGES,
  COUNTRY_CODE_PATTERN,
  NOTIFICATION_TEMPLATES,
  ROLES,
  candidacyWorkflowId,
  type Contact,
  type NotificationRequest,
  type NotificationResult,
} from '@kudak/contracts';
import { EmailOutboxRepository, NotificationsRepository } from '@kudak/database';
import { activityKey, InputCheck } from './activity-input';
import { MailerService } from './mailer.service';
import { renderNotice, type RenderedNotice } from './notification-templates';

/** Failure type when some e-mails could not be sent; the activity is retried and sends only those. */
export const EMAIL_DELIVERY_FAILED = 'EmailDeliveryFailed';

/**
 * Tells the candidacy's parties what happened: always in their in-app inbox, and by e-mail when
 * SMTP_URL is set and the contact has an address. Idempotent per scheduled activity: a retry adds
 * no inbox row and sends no e-mail twice. The result counts this notification's inbox rows and sent
 * e-mails whichever attempt wrote them, so every attempt that succeeds returns the same. Only
 * activities are methods here: every method of this class is registered with the worker.
 */
@Injectable()
export class NotificationActivities {
  private readonly logger = new Logger(NotificationActivities.name);

  constructor(
    private readonly inbox: NotificationsRepository,
    private readonly outbox: EmailOutboxRepository,
    private readonly mailer: MailerService,
  ) {}

  async notify(req: NotificationRequest): Promise<NotificationResult> {
    checkNotification(req);
    const { key, workflowId } = activityKey(candidacyWorkflowId(req.cityId));
    const notices = distinctRecipients(req.recipients).map((recipient) => ({
      recipient,
      ...renderNotice({
        template: req.template,
        locale: recipient.locale,
        recipientName: recipient.name,
        cityName: req.cityName,
        stage: req.stage,
        params: req.params,
      }),
    }));

    await this.inbox.insertOnce(
      notices.map(({ recipient, subject, body }) => ({
        key,
        recipientId: recipient.id,
        recipientRole: recipient.role,
        workflowId,
        cityId: req.cityId,
        country: req.country,
        template: req.template,
        locale: recipient.locale,
        subject,
        body,
      })),
      new Date(),
    );
    if (this.mailer.enabled) await sendEmails(key, notices, this.outbox, this.mailer);

    const result: NotificationResult = {
      key,
      inboxRecords: await this.inbox.countForKey(key),
      emailsSent: this.mailer.enabled ? await this.outbox.countSent(key) : 0,
    };
    this.logger.log(
      `[${key}] ${req.template} for ${req.cityId}: ${result.inboxRecords} in the inbox, ${result.emailsSent} e-mailed`,
    );
    return result;
  }
}

type Notice = RenderedNotice & { recipient: Contact };

/** E-mails every recipient with an address whose message has not gone out yet; claims before sending. */
async function sendEmails(key: string, notices: Notice[], outbox: EmailOutboxRepository, mailer: MailerService) {
  const failures: string[] = [];
  for (const { recipient, subject, body } of notices) {
    if (!recipient.email) continue;
    const messageId = mailer.messageId(key, recipient.id);
    if ((await outbox.claim({ key, recipientId: recipient.id, email: recipient.email, messageId })) === 'sent') {
      continue;
    }
    try {
      await mailer.send({
        to: { name: recipient.name, address: recipient.email },
        subject,
        text: body,
        messageId,
        locale: recipient.locale,
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      failures.push(`${recipient.id} <${recipient.email}>: ${reason}`);
      await outbox.recordFailure(key, recipient.id, reason);
      continue;
    }
    await outbox.markSent(key, recipient.id);
  }
  if (failures.length > 0) {
    // Retryable: the next attempt skips the messages that did go out.
    throw ApplicationFailure.retryable(
      `notify: could not e-mail ${failures.length} recipient(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`,
      EMAIL_DELIVERY_FAILED,
    );
  }
}

/** The first contact of each id: the inbox holds one row per recipient. */
function distinctRecipients(recipients: Contact[]): Contact[] {
  const byId = new Map<string, Contact>();
  for (const recipient of recipients) if (!byId.has(recipient.id)) byId.set(recipient.id, recipient);
  return [...byId.values()];
}

function checkNotification(req: NotificationRequest): void {
  const check = new InputCheck('notify');
  if (!check.object(req, 'request')) return check.done();
  check.oneOf(req.template, NOTIFICATION_TEMPLATES, 'template');
  check.text(req.cityId, 'cityId');
  check.text(req.cityName, 'cityName');
  // Absent from the requests scheduled before it was sent: their rows match on the city alone.
  if (req.country !== undefined && !(typeof req.country === 'string' && COUNTRY_CODE_PATTERN.test(req.country))) {
    check.problem(`country must be an ISO 3166-1 alpha-2 code such as IR; got ${JSON.stringify(req.country)}`);
  }
  check.oneOf(req.stage, CANDIDACY_STAGES, 'stage');
  if (!Array.isArray(req.recipients)) {
    check.problem('recipients must be an array of contacts');
  } else {
    req.recipients.forEach((r: unknown, i) => {
      const path = `recipients[${i}]`;
      if (!check.object(r, path)) return;
      check.text(r.id, `${path}.id`);
      check.text(r.name, `${path}.name`);
      check.oneOf(r.role, ROLES, `${path}.role`);
      check.oneOf(r.locale, ['fa', 'en'], `${path}.locale`);
      check.email(r.email, `${path}.email`);
    });
  }
  if (check.object(req.params, 'params')) {
    for (const [name, value] of Object.entries(req.params)) {
      if (name.endsWith('At')) check.instant(value, `params.${name}`);
      else if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
        check.problem(`params.${name} must be a string or a finite number; got ${JSON.stringify(value)}`);
      }
    }
  }
  check.done();
}
