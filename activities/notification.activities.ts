import { Injectable, Logger } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  ACTIVITY_NAMES,
  CANDIDACY_STAGES,
  COUNTRY_CODE_PATTERN,
  NOTIFICATION_TEMPLATES,
  ROLES,
  candidacyWorkflowId,
  type Contact,
  type KudakActivities,
  type NotificationRequest,
  type NotificationResult,
} from '@kudak/contracts';
import { EmailOutboxRepository, NotificationsRepository, retryFor } from '@kudak/database';
import { activityKey, InputCheck } from './activity-input';
import { MailerService } from './mailer.service';
import { renderNotice, type RenderedNotice } from './notification-templates';

/** Failure type when some e-mails could not be sent; the activity is retried and sends only those. */
export const EMAIL_DELIVERY_FAILED = 'EmailDeliveryFailed';

/**
 * Tells the candidacy's parties what happened: always in their in-app inbox, and by e-mail when
 * SMTP_URL is set and the contact has an address. Idempotent per scheduled activity: a retry adds
 * no inbox row and sends no e-mail twice. The result counts this notification's inbox rows and sent
 * e-mails whichever attempt wrote them, so every attempt that succeeds returns the same.
 * ActivitiesModule binds `notify` to its activity name.
 */
@Injectable()
export class NotificationActivities implements Pick<KudakActivities, 'notify'> {
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
    if (this.mailer.enabled) await sendEmails(key, notices, this.outbox, this.mailer, this.logger);

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

/** Failure type when a message the SMTP server accepted could not be recorded as sent in time. */
export const EMAIL_NOT_RECORDED = 'EmailSentButNotRecorded';

/**
 * Time an attempt leaves itself, after recording its last send, to report to Temporal before its
 * start-to-close timeout would start another attempt beside it.
 */
const REPORTING_MARGIN_MS = 5_000;

/**
 * The notify activity's heartbeat: the SMTP server's reply accepting each message so far, by
 * recipient id. Temporal keeps it apart from Kudak's database and hands it to the next attempt.
 */
interface AcceptedEmails {
  accepted: Record<string, string>;
}

/** The acceptances earlier attempts of this activity heartbeated. */
function acceptedEarlier(details: unknown): Record<string, string> {
  const accepted = (details as Partial<AcceptedEmails> | undefined)?.accepted;
  if (typeof accepted !== 'object' || accepted === null) return {};
  return Object.fromEntries(Object.entries(accepted).filter(([, reply]) => typeof reply === 'string'));
}

/**
 * E-mails every recipient with an address whose message has not gone out yet, effectively once:
 * each message is claimed in the outbox before the SMTP call; once the server accepts it, the reply
 * is heartbeated to Temporal and then recorded in the outbox ('sent'), retried until shortly before
 * the attempt would time out. A retry sends no message that is 'sent', or whose acceptance an
 * earlier attempt heartbeated: it records that one as sent instead.
 */
async function sendEmails(
  key: string,
  notices: Notice[],
  outbox: EmailOutboxRepository,
  mailer: MailerService,
  logger: Logger,
) {
  const context = Context.current();
  const recordBy = Date.now() + context.info.startToCloseTimeoutMs - REPORTING_MARGIN_MS;
  const accepted = acceptedEarlier(context.info.heartbeatDetails);
  const failures: string[] = [];
  for (const { recipient, subject, body } of notices) {
    if (!recipient.email) continue;
    const messageId = mailer.messageId(key, recipient.id);
    const claim = await outbox.claim({ key, recipientId: recipient.id, email: recipient.email, messageId });
    if (claim.status === 'sent') continue;
    let reply = accepted[recipient.id];
    if (reply === undefined) {
      if (claim.attempt > 1) {
        logger.warn(`[${key}] ${recipient.id}: try ${claim.attempt}, no acceptance on record; sending ${messageId}`);
      }
      try {
        reply = await mailer.send({
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
      accepted[recipient.id] = reply;
      context.heartbeat({ accepted: { ...accepted } } satisfies AcceptedEmails);
    } else {
      logger.log(`[${key}] ${recipient.id}: accepted by an earlier attempt (${reply}); recording it, not sending`);
    }
    await recordSent(outbox, key, recipient.id, reply, recordBy);
  }
  if (failures.length > 0) {
    // Retryable: the next attempt skips the messages that did go out.
    throw ApplicationFailure.retryable(
      `notify: could not e-mail ${failures.length} recipient(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`,
      EMAIL_DELIVERY_FAILED,
    );
  }
}

/** Marks an accepted message sent, trying again (any error) until `by`; then fails the attempt. */
async function recordSent(outbox: EmailOutboxRepository, key: string, recipientId: string, reply: string, by: number) {
  try {
    await retryFor(
      () => outbox.markSent(key, recipientId, reply),
      by - Date.now(),
      () => true,
    );
  } catch (err) {
    // Not SQLITE_BUSY itself, so the activity is not run again within this attempt (which would
    // forget what it heartbeated); the next attempt reads the heartbeat and records it.
    throw ApplicationFailure.retryable(
      `notify: the e-mail to ${recipientId} was accepted (${reply}) but not recorded as sent: ${(err as Error).message}`,
      EMAIL_NOT_RECORDED,
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
  const check = new InputCheck(ACTIVITY_NAMES.notify);
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
