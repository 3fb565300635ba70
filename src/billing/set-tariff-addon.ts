import { AppError } from '../core/errors/index.ts';
import { parseMoney } from '../core/money.ts';
import { assertYears, type NameAddon } from '../domain/index.ts';
import { invalidTariff, type PeriodPriceInput } from './add-tariff.ts';
import type { BillingContext } from './billing-context.ts';
import {
  ADDON_LABELS,
  bumpTariffVersion,
  deleteTariffAddonRows,
  getTariff,
  type Tariff,
} from './tariff-repository.ts';

export interface SetTariffAddonInput {
  readonly tariffId: number;
  /** `uc-san` ("Additional UC SANs domains") or `additional-domain` ("Additional domains"). */
  readonly kind: string;
  /** One amount for every period the tariff sells, or one per period (all of them). */
  readonly price: string | readonly PeriodPriceInput[];
  /** Names of this class the base price already covers; default 0. */
  readonly includedCount?: number;
}

/**
 * Adds an addon to a tariff plan (Products → Tariff plans → Config → Add), or replaces its prices
 * when the tariff has it already. Priced per name for exactly the periods the tariff sells.
 * @example await setTariffAddon(ctx, { tariffId: 1, kind: 'additional-domain', price: [{ years: 1, amount: '20.00' }] })
 */
export async function setTariffAddon(ctx: BillingContext, input: SetTariffAddonInput): Promise<Tariff> {
  const tariff = await getTariff(ctx.db.kysely, input.tariffId);
  const kind = readAddonKind(input.kind);
  const label = ADDON_LABELS[kind];
  const periods = tariff.prices.map((p) => p.years);
  const given =
    typeof input.price === 'string'
      ? periods.map((years) => ({ years, amount: input.price as string }))
      : input.price;
  const seen = new Set<number>();
  const prices = given.map((p) => {
    const years = assertYears(p.years);
    if (seen.has(years)) throw invalidAddon(`The ${label} price for ${years} year(s) is given twice.`);
    seen.add(years);
    const price = parseMoney(p.amount, tariff.currency);
    if (price.amountMinor < 0) throw invalidAddon(`The ${label} price for ${years} year(s) is negative.`);
    return { years, amountMinor: price.amountMinor };
  });
  const missing = periods.filter((y) => !seen.has(y));
  const extra = [...seen].filter((y) => !periods.includes(y));
  if (missing.length || extra.length) {
    throw invalidAddon(
      `${label} must be priced for exactly the periods the tariff sells (${periods.join(', ')} years); ` +
        (missing.length ? `missing ${missing.join(', ')}.` : `not sold: ${extra.join(', ')}.`),
    );
  }
  const includedCount = input.includedCount ?? 0;
  if (!Number.isSafeInteger(includedCount) || includedCount < 0 || includedCount > 100) {
    throw invalidAddon(`${label}: the included count must be a whole number from 0 to 100.`);
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await deleteTariffAddonRows(trx, tariff.id, kind);
    await trx
      .insertInto('tariff_addons')
      .values({ tariff_id: tariff.id, kind, included_count: includedCount })
      .execute();
    if (prices.length) {
      await trx
        .insertInto('tariff_addon_prices')
        .values(
          prices.map((p) => ({ tariff_id: tariff.id, kind, years: p.years, price_minor: p.amountMinor })),
        )
        .execute();
    }
    await bumpTariffVersion(trx, tariff.id, ctx.clock.now().toISOString());
  });
  return getTariff(ctx.db.kysely, tariff.id);
}

/**
 * `uc-san` / `additional-domain`, also given by their labels.
 * @example readAddonKind('Additional domains') → 'additional-domain'
 */
export function readAddonKind(text: string): NameAddon {
  const wanted = text.trim().toLowerCase();
  const found = (Object.keys(ADDON_LABELS) as NameAddon[]).find(
    (k) => k === wanted || ADDON_LABELS[k].toLowerCase() === wanted,
  );
  if (!found) {
    throw new AppError(
      'BILLING_INVALID_TARIFF',
      `Addon type "${text}" is not known; use "Additional UC SANs domains" (uc-san) or "Additional domains" (additional-domain).`,
      { field: 'kind' },
    );
  }
  return found;
}

function invalidAddon(message: string): AppError {
  return invalidTariff(message, 'addons');
}
