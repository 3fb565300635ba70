import { AppError } from '../core/errors/index.ts';
import { money } from '../core/money.ts';
import {
  assertYears,
  prepareCertificateNames,
  priceOrder,
  type CertificateNames,
  type NameAddon,
  type OrderPrice,
} from '../domain/index.ts';
import type { BillingContext } from './billing-context.ts';
import { getTariff, type Tariff } from './tariff-repository.ts';

export interface OrderNamesInput {
  readonly years: number;
  /** Common name as typed; normalised by the domain rules. */
  readonly cn: string;
  readonly sans?: readonly string[];
}

export type TariffQuote = CertificateNames &
  OrderPrice & {
    readonly tariffId: number;
    readonly years: number;
  };

/**
 * What an order of this tariff costs: the names normalised and classified by the domain rules,
 * priced with the tariff's prices for the period, broken down by addon. Refuses an inactive
 * tariff, a period it does not sell, names of an addon it does not sell, and a wildcard mismatch.
 * @example
 *   quoteTariffOrder(domainSsl, { years: 5, cn: 'example.com', sans: ['www.example.com', 'test.example.com'] })
 *   → { total: { amountMinor: 12000, currency: 'USD' }, lines: [base, uc-san, additional-domain], … }
 */
export function quoteTariffOrder(tariff: Tariff, input: OrderNamesInput): TariffQuote {
  if (!tariff.active) {
    throw new AppError(
      'BILLING_TARIFF_INACTIVE',
      `Tariff ${tariff.id} "${tariff.name}" is not sold any more.`,
      {
        tariffId: tariff.id,
      },
    );
  }
  const years = assertYears(input.years);
  const base = tariff.prices.find((p) => p.years === years);
  if (!base) {
    const sold = tariff.prices.map((p) => p.years).join(', ');
    throw new AppError(
      'BILLING_PERIOD_NOT_SOLD',
      `Tariff ${tariff.id} "${tariff.name}" is not sold for ${years} year(s); it is sold for ${sold} year(s).`,
      { tariffId: tariff.id, years, sold: tariff.prices.map((p) => p.years) },
    );
  }
  const names = prepareCertificateNames({
    cn: input.cn,
    sans: input.sans ?? [],
    allowWildcards: tariff.wildcard,
  });
  if (tariff.wildcard !== names.cn.startsWith('*.')) {
    throw new AppError(
      'BILLING_WILDCARD_MISMATCH',
      tariff.wildcard
        ? `Tariff ${tariff.id} sells ${tariff.title}: the common name must be a wildcard such as *.${names.cn}.`
        : `Tariff ${tariff.id} sells ${tariff.title}, not a wildcard certificate: pick a wildcard tariff for ${names.cn}.`,
      { tariffId: tariff.id, cn: names.cn },
    );
  }
  const addon = (kind: NameAddon, count: number) => {
    const found = tariff.addons.find((a) => a.kind === kind);
    if (count > 0 && !found) {
      const listed = names.names.filter((n) => n.addon === kind).map((n) => n.name);
      throw new AppError(
        'BILLING_ADDON_NOT_SOLD',
        `Tariff ${tariff.id} "${tariff.name}" does not sell ${kind === 'uc-san' ? 'Additional UC SANs domains' : 'Additional domains'}; remove ${listed.join(', ')} or pick another tariff.`,
        { tariffId: tariff.id, addon: kind, names: listed },
      );
    }
    return {
      price: found?.prices.find((p) => p.years === years)?.price ?? money(0, tariff.currency),
      included: found?.includedCount ?? 0,
    };
  };
  const ucSan = addon('uc-san', names.ucSanCount);
  const domain = addon('additional-domain', names.additionalDomainCount);
  const price = priceOrder({
    years,
    basePrice: base.price,
    ucSanPrice: ucSan.price,
    domainPrice: domain.price,
    ucSanCount: names.ucSanCount,
    additionalDomainCount: names.additionalDomainCount,
    ucSanIncluded: ucSan.included,
    domainIncluded: domain.included,
  });
  return { tariffId: tariff.id, years, ...names, ...price };
}

export interface QuoteOrderInput extends OrderNamesInput {
  readonly tariffId: number;
}

/**
 * The price shown before paying, for a tariff by id.
 * @example await quoteOrder(ctx, { tariffId: 1, years: 1, cn: 'example.com' }).total → USD 30.00
 */
export async function quoteOrder(ctx: BillingContext, input: QuoteOrderInput): Promise<TariffQuote> {
  return quoteTariffOrder(await getTariff(ctx.db.kysely, input.tariffId), input);
}
