import { AppError } from '../core/errors/index.ts';
import type { BillingContext } from './billing-context.ts';
import { getService, type Service, type ServiceStatus } from './service-repository.ts';

/**
 * Moves a service from one of the expected states to another, atomically, for provisioning
 * (`ordered` → `in_progress` → `active` → `expired`, or `failed`). Cancellation goes through
 * `cancelService`, which refunds.
 * @example await setServiceStatus(ctx, { serviceId: 7, from: ['ordered', 'in_progress'], to: 'active' })
 */
export async function setServiceStatus(
  ctx: BillingContext,
  change: { serviceId: number; from: readonly ServiceStatus[]; to: Exclude<ServiceStatus, 'cancelled'> },
): Promise<Service> {
  if (change.from.length === 0) throw new RangeError('setServiceStatus needs at least one expected state');
  const updated = await ctx.db.kysely
    .updateTable('services')
    .set({ status: change.to, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', change.serviceId)
    .where('status', 'in', [...change.from])
    .executeTakeFirst();
  const service = await getService(ctx.db.kysely, change.serviceId);
  if (Number(updated.numUpdatedRows) !== 1 && service.status !== change.to) {
    throw new AppError(
      'BILLING_SERVICE_STATE',
      `Service ${service.id} is ${service.status}, not ${change.from.join(' or ')}; it cannot become ${change.to}.`,
      { serviceId: service.id, status: service.status },
    );
  }
  return service;
}
