import { AppError } from '../core/errors/index.ts';
import { computePaidUntil } from '../domain/index.ts';
import type { BillingContext } from './billing-context.ts';
import { getService, type Service } from './service-repository.ts';

/**
 * Starts the paid period at the first issue of the service's certificate: `paid_until` = first
 * issue + N calendar years (domain rules). Provisioning calls it when the CA issues the first
 * certificate; calling it again with the same instant changes nothing, another instant is refused.
 * @example await startPaidPeriod(ctx, 7, new Date('2026-04-02T12:00:00Z')) → { paidUntil: '2031-04-02T12:00:00.000Z', … }
 */
export async function startPaidPeriod(
  ctx: BillingContext,
  serviceId: number,
  firstIssuedAt: Date,
): Promise<Service> {
  const service = await getService(ctx.db.kysely, serviceId);
  const issuedAt = firstIssuedAt.toISOString();
  if (service.firstIssuedAt !== null) {
    if (service.firstIssuedAt === issuedAt) return service;
    throw alreadyStarted(service);
  }
  const paidUntil = computePaidUntil(firstIssuedAt, service.years).toISOString();
  const updated = await ctx.db.kysely
    .updateTable('services')
    .set({ first_issued_at: issuedAt, paid_until: paidUntil, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', serviceId)
    .where('first_issued_at', 'is', null)
    .executeTakeFirst();
  const after = await getService(ctx.db.kysely, serviceId);
  if (Number(updated.numUpdatedRows) !== 1 && after.firstIssuedAt !== issuedAt) throw alreadyStarted(after);
  return after;
}

function alreadyStarted(service: Service): AppError {
  return new AppError(
    'BILLING_PAID_PERIOD_STARTED',
    `The paid period of service ${service.id} already started at ${service.firstIssuedAt}.`,
    { serviceId: service.id, firstIssuedAt: service.firstIssuedAt },
  );
}
