import type { Kysely } from 'kysely';
import type { SubscriptionSchema } from './subscriptions-kysely.ts';

export const NOTIFICATION_TEMPLATES = [
  'certificate-expiring',
  'certificate-validation-required',
  'certificate-issued',
  'certificate-reissued',
  'subscription-ending',
] as const;
export type NotificationTemplate = (typeof NOTIFICATION_TEMPLATES)[number];

/** What every certificate notification names: the certificate, and whether the client must act. */
export interface CertificateNotificationVariables {
  readonly commonName: string;
  readonly caOrderId: string | null;
  /** `YYYY-MM-DD` of the current certificate's notAfter. */
  readonly expirationDate: string | null;
  readonly actionNeeded: boolean;
  /** Names that need fresh validation, when that is the action. */
  readonly names?: readonly string[];
  /** More variables of the template (docs/notifications.md), e.g. `paidUntil`, `previousCaOrderId`. */
  readonly [variable: string]: unknown;
}

export interface ClientNotificationInput {
  readonly clientId: number;
  readonly serviceId: number;
  readonly generationId: number;
  readonly template: NotificationTemplate;
  readonly variables: CertificateNotificationVariables;
  readonly now: Date;
  /** Once per what (default: per generation and template), e.g. `subscription-ending:service:7:2031-04-02`. */
  readonly dedupeKey?: string;
}

/**
 * Records a notification for a client once per generation and template (the dedupe key is
 * unique), to be sent later; the recipient is the client's first user. Call it inside the
 * transaction that decides it. The `mail-outbox` job renders it in the client's language and
 * mails it (src/notifications/, docs/notifications.md).
 * @example await recordClientNotification(trx, { clientId: 4, serviceId: 7, generationId: 3,
 *   template: 'certificate-expiring', variables: { commonName: 'example.com', caOrderId: 'CESM…',
 *   expirationDate: '2026-10-19', actionNeeded: true }, now }) → true
 */
export async function recordClientNotification(
  k: Kysely<SubscriptionSchema>,
  input: ClientNotificationInput,
): Promise<boolean> {
  const recipient = await k
    .selectFrom('client_users')
    .select('email')
    .where('client_id', '=', input.clientId)
    .orderBy('id')
    .executeTakeFirst();
  const inserted = await k
    .insertInto('notifications')
    .values({
      client_id: input.clientId,
      service_id: input.serviceId,
      generation_id: input.generationId,
      template: input.template,
      recipient_email: recipient?.email ?? null,
      variables: JSON.stringify(input.variables),
      action_needed: input.variables.actionNeeded ? 1 : 0,
      dedupe_key: input.dedupeKey ?? `${input.template}:generation:${input.generationId}`,
      created_at: input.now.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** A recorded notification, as the sender (and the tests) read it. */
export interface ClientNotification {
  readonly id: number;
  readonly clientId: number;
  readonly serviceId: number | null;
  readonly generationId: number | null;
  readonly template: string;
  readonly recipientEmail: string | null;
  readonly variables: CertificateNotificationVariables;
  readonly actionNeeded: boolean;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

/**
 * The notifications of a service (or all), oldest first.
 * @example await listClientNotifications(k, { serviceId: 7 }) → [{ template: 'certificate-expiring', … }]
 */
export async function listClientNotifications(
  k: Kysely<SubscriptionSchema>,
  filter: { readonly serviceId?: number } = {},
): Promise<ClientNotification[]> {
  // Department messages share the table (migration 008); they are not the client's.
  let query = k.selectFrom('notifications').selectAll().where('client_id', 'is not', null);
  if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    clientId: Number(r.client_id),
    serviceId: r.service_id === null ? null : Number(r.service_id),
    generationId: r.generation_id === null ? null : Number(r.generation_id),
    template: r.template,
    recipientEmail: r.recipient_email,
    variables: (typeof r.variables === 'string'
      ? JSON.parse(r.variables)
      : r.variables) as CertificateNotificationVariables,
    actionNeeded: Number(r.action_needed) === 1,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  }));
}
