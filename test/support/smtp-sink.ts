import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  messageId?: string;
  language?: string;
  /** Epoch ms when the message was kept, just before the server answered 250. */
  receivedAt: number;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** Addresses the server refuses (RCPT TO answered 550) while they are in this set. */
  refuse: Set<string>;
  /** Runs once a message is received and kept, before the server answers 250 (accepted). */
  beforeAccepting?: (mail: ReceivedMail) => Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives, parsed. With `auth` it requires
 * that login (over plain SMTP, as a relay on loopback would). With `port` it listens there (to come
 * back where a stopped one was), else on a free port.
 */
export async function startSmtpSink(auth?: { user: string; pass: string }, port = 0): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  let sink: SmtpSink | undefined = undefined;
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !auth,
    allowInsecureAuth: true,
    onAuth(login, _session, callback) {
      if (auth && login.username === auth.user && login.password === auth.pass)
        callback(null, { user: login.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (!refuse.has(address.address)) return callback();
      const err = new Error(`Mailbox ${address.address} unavailable`) as Error & { responseCode: number };
      err.responseCode = 550;
      callback(err);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const kept: ReceivedMail = {
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            messageId: mail.messageId,
            language: mail.headers.get('content-language') as string | undefined,
            receivedAt: Date.now(),
          };
          received.push(kept);
          await sink?.beforeAccepting?.(kept);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  // A client that dies mid-session (a worker SIGKILLed by a fault test) resets its connection: the
  // server reports it as an error, which must not become an uncaught exception of the test process.
  server.on('error', () => undefined);
  const listening = (server.server.address() as AddressInfo).port;
  const credentials = auth ? `${auth.user}:${auth.pass}@` : '';
  sink = {
    url: `smtp://${credentials}127.0.0.1:${listening}`,
    received,
    refuse,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return sink;
}
