import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import type { PriceLine } from '../domain/index.ts';
import { getAccountOfClient } from './account-repository.ts';
import type { BillingContext } from './billing-context.ts';
import { pendingProvisioning } from './provisioning-gateway.ts';
import { quoteTariffOrder } from './quote-tariff-order.ts';
import { recordPaidService } from './record-paid-service.ts';
import { runIdempotently } from './run-idempotently.ts';
import { getService } from './service-repository.ts';
import { readCurrentTariff } from './tariff-repository.ts';

export interface RenewServiceInput {
  readonly serviceId: number;
  /** Length of the new paid period; default the previous one. */
  readonly years?: number;
  readonly idempotencyKey: string;
}

export interface RenewedService {
  readonly serviceId: number;
  readonly previousServiceId: number;
  readonly charged: Money;
  readonly lines: readonly PriceLine[];
  readonly replayed: boolean;
}

/**
 * Buys a new paid period for a service whose period has started: a new service of kind `renewal`
 * referring to the previous one (and through it to its CA order), with the same names, priced at
 * the tariff's current prices, charged now. Provisioning issues its first certificate when the
 * previous period ends, and that issue starts the new period. A service is renewed once.
 * Fails with BILLING_SERVICE_NOT_FOUND, BILLING_SERVICE_NOT_RENEWABLE, the tariff's refusals and
 * BILLING_INSUFFICIENT_BALANCE.
 * @example await renewService(ctx, { serviceId: 7, idempotencyKey: 'renew-7' })
 *   → { serviceId: 12, previousServiceId: 7, charged: { amountMinor: 12000, currency: 'USD' }, … }
 */
export async function renewService(ctx: BillingContext, input: RenewServiceInput): Promise<RenewedService> {
  const { result, replayed } = await runIdempotently(
    ctx,
    {
      operation: 'renew',
      owner: `service:${input.serviceId}`,
      key: input.idempotencyKey,
      request: { years: input.years ?? null },
    },
    async (trx) => {
      const previous = await getService(trx, input.serviceId);
      if (previous.paidUntil === null || !['active', 'expired'].includes(previous.status)) {
        throw new AppError(
          'BILLING_SERVICE_NOT_RENEWABLE',
          previous.paidUntil === null
            ? `Service ${previous.id} cannot be renewed yet: its paid period starts when its first certificate is issued.`
            : `Service ${previous.id} is ${previous.status} and cannot be renewed; order a new certificate instead.`,
          { serviceId: previous.id, status: previous.status },
        );
      }
      const tariff = await readCurrentTariff(ctx.db, trx, previous.tariffId);
      const quote = quoteTariffOrder(tariff, {
        years: input.years ?? previous.years,
        cn: previous.commonName,
        sans: previous.names.map((n) => n.name),
      });
      const account = await getAccountOfClient(trx, previous.clientId);
      const paid = await recordPaidService(trx, ctx.clock.now(), {
        account,
        tariff,
        quote,
        kind: 'renewal',
        previousServiceId: previous.id,
        provisioning: previous.provisioning,
      });
      return {
        serviceId: paid.serviceId,
        previousServiceId: previous.id,
        charged: paid.charged,
        lines: quote.lines,
      };
    },
  );
  await (ctx.provisioning ?? pendingProvisioning).serviceOrdered(result.serviceId);
  return { ...result, replayed };
}
