import type { ColumnType, Generated } from 'kysely';

type JsonText = ColumnType<unknown, string | null, string | null>;

/**
 * What the reissue policy did with a certificate generation's trigger, kept on the generation
 * (columns added by migration 006). A handled trigger never fires again: the due scan reads only
 * rows where `reissue_handled_at` is null.
 */
export interface GenerationReissueColumns {
  reissue_handled_at: string | null;
  /** `reissue` | `notified` | `nothing` */
  reissue_handled_as: string | null;
}

/**
 * A message to a client, recorded once (`dedupe_key` is unique) and sent later by whatever mails
 * them; `sent_at` stays null until then.
 * @example { template: 'certificate-expiring', dedupe_key: 'certificate-expiring:generation:3',
 *   variables: '{"commonName":"example.com","caOrderId":"CESM…","expirationDate":"2026-10-19","actionNeeded":true}' }
 */
export interface NotificationsTable {
  id: Generated<number>;
  /** The client told; null for a message to a Department (migration 008). */
  client_id: number | null;
  /** The Department told (processing errors, low balance); null for a client's message (migration 008). */
  department_id: number | null;
  service_id: number | null;
  generation_id: number | null;
  /** e.g. `certificate-expiring`, `certificate-validation-required` */
  template: string;
  /** The recipient's address when known at the time of recording (the client's first user). */
  recipient_email: string | null;
  variables: JsonText;
  /** 1 when the client must do something. */
  action_needed: number;
  dedupe_key: string;
  created_at: string;
  sent_at: string | null;
}

export interface SubscriptionTables {
  notifications: NotificationsTable;
}
