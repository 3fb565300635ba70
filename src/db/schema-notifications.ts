import type { Generated } from 'kysely';

/**
 * An admin's version of one message template in one language (migration 008); without a row the
 * default file under `src/notifications/templates/<language>/<template>.liquid` is used.
 * @example { template: 'certificate-issued', language: 'es', subject: 'Certificado {{ commonName }} emitido', body: '…' }
 */
export interface MessageTemplatesTable {
  template: string;
  language: string;
  subject: string;
  body: string;
  updated_at: string;
}

/**
 * One mail to send, rendered from a notification (migration 008). `state`: `queued` (waiting for
 * its first try, or for an SMTP server to be configured), `failed` (a try failed, the next one is
 * at `next_attempt_at`), `sent`, `dead` (no try left, or nothing to send it to; a task is open).
 */
export interface MailOutboxTable {
  id: Generated<number>;
  notification_id: number | null;
  template: string;
  language: string;
  to_address: string | null;
  subject: string;
  text: string;
  state: string;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** The Message-ID the SMTP server accepted the mail under. */
  message_id: string | null;
}

export interface NotificationTables {
  message_templates: MessageTemplatesTable;
  mail_outbox: MailOutboxTable;
}
