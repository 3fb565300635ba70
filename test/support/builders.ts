import { randomUUID } from 'node:crypto';
import { addClient, type AddClientInput } from '../../src/billing/add-client.ts';
import { addTariff, type AddTariffInput } from '../../src/billing/add-tariff.ts';
import type { BillingContext } from '../../src/billing/billing-context.ts';
import type { Client } from '../../src/billing/client-repository.ts';
import { creditAccount } from '../../src/billing/credit-account.ts';
import {
  placeCertificateOrder,
  type PlaceCertificateOrderInput,
  type PlacedOrder,
} from '../../src/billing/place-certificate-order.ts';
import type { Tariff } from '../../src/billing/tariff-repository.ts';

let sequence = 0;

/** A value unique in this test run: `ann-17@example.com`. */
export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomUUID().slice(0, 8)}@example.com`;
}

export function uniqueKey(prefix = 'key'): string {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Test data with sensible defaults; each call creates new rows, so tests sharing a database stay
 * apart.
 * @example
 *   const make = builders(ctx);
 *   const client = await make.client({ balance: '500.00' });
 *   const tariff = await make.tariff();
 */
export function builders(ctx: BillingContext) {
  return {
    /** A client with one user and an account, optionally credited. */
    async client(overrides: Partial<AddClientInput> & { balance?: string } = {}): Promise<Client> {
      const client = await addClient(ctx, {
        name: overrides.name ?? 'Example Ltd',
        email: overrides.email ?? uniqueEmail('client'),
        currency: overrides.currency ?? 'USD',
      });
      if (overrides.balance) {
        const credited = await creditAccount(ctx, {
          clientId: client.id,
          amount: overrides.balance,
          idempotencyKey: uniqueKey('credit'),
        });
        return { ...client, balance: credited.balance };
      }
      return client;
    },

    /**
     * A DomainSSL tariff in USD: 1 year 30.00, 2 years 55.00, 5 years 100.00; UC SANs 0.00, other
     * names 20.00 per name and period.
     */
    async tariff(overrides: Partial<AddTariffInput> = {}): Promise<Tariff> {
      return addTariff(ctx, {
        name: 'DomainSSL',
        product: 'DV',
        currency: 'USD',
        prices: [
          { years: 1, amount: '30.00' },
          { years: 2, amount: '55.00' },
          { years: 5, amount: '100.00' },
        ],
        ucSanAddon: { price: '0.00' },
        domainAddon: { price: '20.00' },
        ...overrides,
      });
    },

    /** A paid order for example.com (unless told otherwise), 1 year, key generated, DNS validation. */
    async order(
      input: Pick<PlaceCertificateOrderInput, 'clientId' | 'tariffId'> & Partial<PlaceCertificateOrderInput>,
    ): Promise<PlacedOrder> {
      return placeCertificateOrder(ctx, {
        years: 1,
        cn: 'example.com',
        dcv: 'dns',
        idempotencyKey: uniqueKey('order'),
        ...input,
      });
    },
  };
}
