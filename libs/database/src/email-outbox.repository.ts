import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { KNEX } from './database.constants';

export interface OutgoingEmail {
  key: string;
  recipientId: string;
  email: string;
  messageId: string;
}

/** What a claim found: sent by an earlier attempt, or to be sent now (the how-many-th try it is). */
export type EmailClaim = { status: 'sent' } | { status: 'claimed'; attempt: number };

/**
 * Remembers which e-mails went out, so that a retried notify activity does not send again: a
 * message is claimed ('sending', attempts counted) before the SMTP call and marked 'sent', with the
 * server's reply, after it. A row still 'sending' after an attempt is a message whose acceptance
 * was not recorded here: its send failed, or the process or the database failed right after it
 * (the notify activity keeps a second record of acceptances for that case).
 */
@Injectable()
export class EmailOutboxRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  async claim(email: OutgoingEmail): Promise<EmailClaim> {
    await this.knex('email_outbox')
      .insert({
        key: email.key,
        recipient_id: email.recipientId,
        email: email.email,
        message_id: email.messageId,
        status: 'sending',
        attempts: 0,
        created_at: new Date().toISOString(),
      })
      .onConflict(['key', 'recipient_id'])
      .ignore();
    const where = { key: email.key, recipient_id: email.recipientId, status: 'sending' };
    // Conditional on 'sending', so a row another attempt has marked sent is never claimed again.
    const claimed = await this.knex('email_outbox')
      .where(where)
      .update({ attempts: this.knex.raw('attempts + 1') });
    if (claimed === 0) return { status: 'sent' };
    const row = await this.knex('email_outbox').where(where).first('attempts');
    return { status: 'claimed', attempt: Number(row?.attempts ?? 1) };
  }

  /** Records the SMTP server's acceptance: the message is sent and is never claimed again. */
  async markSent(key: string, recipientId: string, smtpResponse: string): Promise<void> {
    await this.knex('email_outbox')
      .where({ key, recipient_id: recipientId })
      .update({ status: 'sent', sent_at: new Date().toISOString(), smtp_response: smtpResponse, last_error: null });
  }

  async recordFailure(key: string, recipientId: string, error: string): Promise<void> {
    await this.knex('email_outbox').where({ key, recipient_id: recipientId }).update({ last_error: error });
  }

  /** How many of this notification's e-mails have been sent, by this attempt or earlier ones. */
  async countSent(key: string): Promise<number> {
    const [row] = await this.knex('email_outbox')
      .where({ key, status: 'sent' })
      .count<{ n: number | string }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }
}
