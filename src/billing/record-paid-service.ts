import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import type { Database as Schema } from '../db/schema.ts';
import type { Account } from './account-repository.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { currencyMismatch, insufficientBalance, postLedgerEntry } from './post-ledger-entry.ts';
import type { TariffQuote } from './quote-tariff-order.ts';
import type { ProvisioningParameters, ServiceKind } from './service-repository.ts';
import type { Tariff } from './tariff-repository.ts';

export interface PaidServiceInput {
  readonly account: Account;
  readonly tariff: Tariff;
  readonly quote: TariffQuote;
  readonly kind: ServiceKind;
  readonly previousServiceId: number | null;
  readonly provisioning: ProvisioningParameters;
}

export interface PaidService {
  readonly serviceId: number;
  readonly charged: Money;
}

/**
 * Inside the caller's transaction, with `account` read in it: refuses a currency mismatch or a balance that does not cover
 * the quote, then writes the service in state `ordered` with its names and charges it (ledger
 * reference `charge:service:<id>`). Shared by new orders and renewals.
 */
export async function recordPaidService(
  trx: Kysely<Schema>,
  at: Date,
  input: PaidServiceInput,
): Promise<PaidService> {
  const { account, tariff, quote } = input;
  if (account.balance.currency !== tariff.currency)
    throw currencyMismatch(tariff.currency, account.balance.currency);
  // `account` was read in this transaction; on PostgreSQL the guarded UPDATE in postLedgerEntry
  // still settles a race with a concurrent charge.
  if (account.balance.amountMinor < quote.total.amountMinor) {
    throw insufficientBalance(quote.total, account.balance, 'the order');
  }
  const iso = at.toISOString();
  let serviceId: number;
  try {
    const row = await trx
      .insertInto('services')
      .values({
        client_id: account.clientId,
        account_id: account.id,
        tariff_id: tariff.id,
        product_type: tariff.productType,
        product: tariff.product,
        wildcard: tariff.wildcard ? 1 : 0,
        kind: input.kind,
        previous_service_id: input.previousServiceId,
        status: 'ordered',
        period_years: quote.years,
        common_name: quote.cn,
        names: JSON.stringify(
          quote.names.map((n) => ({ name: n.name, addon: n.addon, sanOptionType: n.sanOptionType })),
        ),
        currency: tariff.currency,
        price_total_minor: quote.total.amountMinor,
        price_lines: JSON.stringify(quote.lines),
        csr: input.provisioning.csr,
        generate_key: input.provisioning.generateKey ? 1 : 0,
        save_key: input.provisioning.saveKey ? 1 : 0,
        organization: input.provisioning.organization
          ? JSON.stringify(input.provisioning.organization)
          : null,
        dcv_method: input.provisioning.dcv?.method ?? null,
        dcv_email: input.provisioning.dcv?.email ?? null,
        first_issued_at: null,
        paid_until: null,
        cancelled_at: null,
        created_at: iso,
        updated_at: iso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    serviceId = row.id;
  } catch (e) {
    if (input.previousServiceId === null || !isUniqueViolation(e)) throw e;
    throw new AppError(
      'BILLING_SERVICE_NOT_RENEWABLE',
      `Service ${input.previousServiceId} was already renewed; see the renewal in the client's services.`,
      { serviceId: input.previousServiceId },
    );
  }
  if (quote.total.amountMinor > 0) {
    await postLedgerEntry(trx, at, {
      accountId: account.id,
      kind: 'charge',
      amount: { amountMinor: -quote.total.amountMinor, currency: quote.total.currency },
      reference: `charge:service:${serviceId}`,
      serviceId,
      note: `${input.kind === 'renewal' ? 'Renewal' : 'Order'}: ${tariff.title}, ${quote.cn}, ${quote.years} year(s)`,
      purpose: 'the order',
    });
  }
  return { serviceId, charged: quote.total };
}
