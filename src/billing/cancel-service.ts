import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import { DAY_MS, formatUtcDate } from '../domain/index.ts';
import type { BillingContext } from './billing-context.ts';
import { postLedgerEntry } from './post-ledger-entry.ts';
import { pendingProvisioning } from './provisioning-gateway.ts';
import { runIdempotently } from './run-idempotently.ts';
import { getService, type Service } from './service-repository.ts';

/** A certificate not yet issued may be cancelled with a refund this long after the order. */
export const REFUND_DAYS_BEFORE_ISSUE = 30;
/** An issued certificate may be cancelled with a refund this long after its first issue. */
export const REFUND_DAYS_AFTER_ISSUE = 6;

export interface CancelServiceInput {
  readonly serviceId: number;
  readonly idempotencyKey: string;
}

export interface CancelledService {
  readonly serviceId: number;
  readonly status: 'cancelled';
  readonly refunded: Money;
  readonly replayed: boolean;
}

/**
 * Cancels a service and refunds the full price paid (ledger reference `refund:service:<id>`)
 * within the windows of the original module: not yet issued and ordered at most 30 days ago, or
 * first issued at most 6 days ago. Outside them it refuses and the service runs to its end.
 * Fails with BILLING_SERVICE_NOT_FOUND, BILLING_SERVICE_NOT_CANCELLABLE, BILLING_REFUND_WINDOW_CLOSED.
 * @example await cancelService(ctx, { serviceId: 7, idempotencyKey: 'cancel-7' })
 *   → { serviceId: 7, status: 'cancelled', refunded: { amountMinor: 12000, currency: 'USD' }, replayed: false }
 */
export async function cancelService(
  ctx: BillingContext,
  input: CancelServiceInput,
): Promise<CancelledService> {
  const { result, replayed } = await runIdempotently(
    ctx,
    { operation: 'cancel', owner: `service:${input.serviceId}`, key: input.idempotencyKey, request: {} },
    async (trx) => {
      const now = ctx.clock.now();
      const service = await getService(trx, input.serviceId);
      if (service.status === 'cancelled' || service.status === 'expired') {
        throw notCancellable(service);
      }
      assertRefundWindowOpen(service, now);
      const cancelled = await trx
        .updateTable('services')
        .set({ status: 'cancelled', cancelled_at: now.toISOString(), updated_at: now.toISOString() })
        .where('id', '=', service.id)
        .where('status', 'not in', ['cancelled', 'expired'])
        .executeTakeFirst();
      if (Number(cancelled.numUpdatedRows) !== 1) throw notCancellable(service);
      if (service.price.total.amountMinor > 0) {
        await postLedgerEntry(trx, now, {
          accountId: service.accountId,
          kind: 'refund',
          amount: service.price.total,
          reference: `refund:service:${service.id}`,
          serviceId: service.id,
          note: `Cancelled: ${service.commonName}`,
        });
      }
      return { serviceId: service.id, status: 'cancelled' as const, refunded: service.price.total };
    },
  );
  await (ctx.provisioning ?? pendingProvisioning).serviceCancelled(result.serviceId);
  return { ...result, replayed };
}

function assertRefundWindowOpen(service: Service, now: Date): void {
  const issuedAt = service.firstIssuedAt ? new Date(service.firstIssuedAt) : null;
  const since = issuedAt ?? new Date(service.createdAt);
  const days = issuedAt ? REFUND_DAYS_AFTER_ISSUE : REFUND_DAYS_BEFORE_ISSUE;
  if (now.getTime() - since.getTime() <= days * DAY_MS) return;
  const why = issuedAt
    ? `its certificate was issued on ${formatUtcDate(issuedAt)}, more than ${days} days ago`
    : `it was ordered on ${formatUtcDate(since)}, more than ${days} days ago`;
  const end = service.paidUntil ? ` (paid until ${formatUtcDate(new Date(service.paidUntil))})` : '';
  throw new AppError(
    'BILLING_REFUND_WINDOW_CLOSED',
    `Service ${service.id} cannot be cancelled with a refund: ${why}. The service runs to its end${end}.`,
    { serviceId: service.id, since: since.toISOString(), windowDays: days },
  );
}

function notCancellable(service: Service): AppError {
  return new AppError(
    'BILLING_SERVICE_NOT_CANCELLABLE',
    `Service ${service.id} is ${service.status}; there is nothing to cancel.`,
    { serviceId: service.id, status: service.status },
  );
}
