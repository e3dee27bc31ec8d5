import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import { KudakConfig } from '@kudak/config';

export interface MailMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
  messageId: string;
  locale: 'fa' | 'en';
}

/** Sends e-mail through SMTP_URL with nodemailer; disabled (inbox only) when SMTP_URL is unset. */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly transport?: Transporter;
  private readonly domain: string;

  constructor(private readonly config: KudakConfig) {
    if (config.mail.smtpUrl) {
      // Give up on a silent server well within an activity's timeout (the URL's query may override).
      this.transport = createTransport({
        url: config.mail.smtpUrl,
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 60_000,
      });
    }
    const [sender] = addressparser(config.mail.from, { flatten: true });
    this.domain = sender?.address.split('@')[1] || 'kudak.local';
  }

  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /**
   * The same Message-ID for the same notification and recipient on every attempt: should a retry
   * ever send again, mail systems see one message.
   */
  messageId(key: string, recipientId: string): string {
    const digest = createHash('sha256').update(`${key}\n${recipientId}`).digest('hex').slice(0, 40);
    return `<${digest}@${this.domain}>`;
  }

  /** Sends the message; resolves with the SMTP server's reply accepting it (e.g. `250 2.0.0 Ok: queued as …`). */
  async send(message: MailMessage): Promise<string> {
    if (!this.transport) throw new Error('E-mail is disabled: SMTP_URL is not set');
    const info: { response?: unknown } = await this.transport.sendMail({
      from: this.config.mail.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: message.messageId,
      headers: { 'Content-Language': message.locale },
    });
    return typeof info.response === 'string' && info.response !== '' ? info.response : '250 (no reply text)';
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
