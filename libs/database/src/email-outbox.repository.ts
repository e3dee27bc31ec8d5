import { Inject, Injectable } from '@nestjs/common';
import type { Knex } from 'knex';
import { KNEX } from './database.constants';

export interface OutgoingEmail {
  key: string;
  recipientId: string;
  email: string;
  messageId: string;
}

/**
 * Remembers which e-mails went out, so that a retried notify activity does not send again: a
 * message is claimed ('sending') before the SMTP call and marked 'sent' after it. Should a process die
 * between the two, the retry sends again with the same Message-ID, which mail systems deduplicate.
 */
@Injectable()
export class EmailOutboxRepository {
  constructor(@Inject(KNEX) private readonly knex: Knex) {}

  /** 'claimed' (send it now; the attempt is counted) or 'sent' (an earlier attempt sent it). */
  async claim(email: OutgoingEmail): Promise<'claimed' | 'sent'> {
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
    // Conditional on 'sending', so a row another attempt has marked sent is never claimed again.
    const claimed = await this.knex('email_outbox')
      .where({ key: email.key, recipient_id: email.recipientId, status: 'sending' })
      .update({ attempts: this.knex.raw('attempts + 1') });
    return claimed > 0 ? 'claimed' : 'sent';
  }

  async markSent(key: string, recipientId: string): Promise<void> {
    await this.knex('email_outbox')
      .where({ key, recipient_id: recipientId })
      .update({ status: 'sent', sent_at: new Date().toISOString(), last_error: null });
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
