import nodemailer from 'nodemailer';

/** One plain-text mail. */
export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Extra headers, e.g. `X-Certbill-Template`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Sends mail; resolving means the server accepted it. Tests inject their own.
 * @example await mailer.send({ from: 'billing@example.com', to: 'ann@example.com', subject: '…', text: '…' })
 *   → { messageId: '<…@example.com>' }
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ readonly messageId: string }>;
  close(): void;
}

export interface SmtpMailerOptions {
  /** Connection, greeting and socket timeouts (default 30 s each). */
  readonly timeoutMs?: number;
}

/**
 * A Mailer over SMTP (nodemailer) from `SmtpUrl`: `smtp://user:password@host:587` (STARTTLS when
 * the server offers it) or `smtps://…:465` (TLS from the start). The URL's password is used only
 * for the connection: it is never logged and it is removed from error messages.
 * @example createSmtpMailer('smtp://mailer:s3cret@mail.example.com:587')
 */
export function createSmtpMailer(smtpUrl: string, opts: SmtpMailerOptions = {}): Mailer {
  const url = new URL(smtpUrl);
  const timeout = opts.timeoutMs ?? 30_000;
  const password = decodeURIComponent(url.password);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: password } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    // Never log: nodemailer's logger would print the conversation, AUTH included.
    logger: false,
    debug: false,
  });
  return {
    async send(mail) {
      try {
        const info = (await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.headers ? { headers: { ...mail.headers } } : {}),
        })) as { messageId?: string };
        return { messageId: info.messageId ?? '' };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new Error(password ? message.split(password).join('***') : message);
      }
    },
    close() {
      transport.close();
    },
  };
}
