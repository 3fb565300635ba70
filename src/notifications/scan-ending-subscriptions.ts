import type { AppContext } from '../app-context.ts';
import { formatUtcDate } from '../domain/utc-date.ts';
import { recordClientNotification } from '../subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../subscriptions/subscriptions-kysely.ts';

const DAY_MS = 86_400_000;

/** How many days before the end of the paid period the renewal offer goes out. */
export const SUBSCRIPTION_ENDING_NOTICE_DAYS = 30;

/**
 * Offers renewal to the clients whose active services' paid period ends within `withinDays` and
 * that are not renewed yet (no renewal service that is not cancelled or failed): one
 * `subscription-ending` notification per service and paid-until date, so a renewal that moves
 * the date offers again at the end of the new period. Returns how many were recorded now.
 * @example await scanEndingSubscriptions(ctx) → 2
 */
export async function scanEndingSubscriptions(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  opts: { readonly withinDays?: number } = {},
): Promise<number> {
  const now = ctx.clock.now();
  const horizon = new Date(now.getTime() + (opts.withinDays ?? SUBSCRIPTION_ENDING_NOTICE_DAYS) * DAY_MS);
  const k = subscriptionsKysely(ctx.db.kysely);
  const ending = await k
    .selectFrom('services as s')
    .select(['s.id', 's.client_id', 's.common_name', 's.paid_until'])
    .where('s.status', '=', 'active')
    .where('s.paid_until', 'is not', null)
    .where('s.paid_until', '>', now.toISOString())
    .where('s.paid_until', '<=', horizon.toISOString())
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('services as r')
            .select('r.id')
            .whereRef('r.previous_service_id', '=', 's.id')
            .where('r.status', 'not in', ['cancelled', 'failed']),
        ),
      ),
    )
    .orderBy('s.id')
    .execute();
  let recorded = 0;
  for (const service of ending) {
    const paidUntil = new Date(service.paid_until ?? now.toISOString());
    const recordedNow = await ctx.db.kysely.transaction().execute(async (trx) => {
      const current = await subscriptionsKysely(trx)
        .selectFrom('certificate_generations')
        .select(['id', 'ca_order_id', 'not_after'])
        .where('service_id', '=', service.id)
        .where('state', '=', 'issued')
        .orderBy('seq', 'desc')
        .executeTakeFirst();
      if (!current) return false;
      return recordClientNotification(subscriptionsKysely(trx), {
        clientId: Number(service.client_id),
        serviceId: Number(service.id),
        generationId: Number(current.id),
        template: 'subscription-ending',
        variables: {
          commonName: service.common_name,
          caOrderId: current.ca_order_id,
          expirationDate: current.not_after ? formatUtcDate(new Date(current.not_after)) : null,
          paidUntil: formatUtcDate(paidUntil),
          daysLeft: Math.ceil((paidUntil.getTime() - now.getTime()) / DAY_MS),
          actionNeeded: true,
        },
        dedupeKey: `subscription-ending:service:${service.id}:${formatUtcDate(paidUntil)}`,
        now,
      });
    });
    if (recordedNow) recorded += 1;
  }
  return recorded;
}
