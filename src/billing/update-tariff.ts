import { parseMoney } from '../core/money.ts';
import { assertYears } from '../domain/index.ts';
import { invalidTariff, readModuleIds, type PeriodPriceInput } from './add-tariff.ts';
import type { BillingContext } from './billing-context.ts';
import { readText } from './read-text.ts';
import { getTariff, type Tariff } from './tariff-repository.ts';

export interface UpdateTariffInput {
  readonly tariffId: number;
  readonly name?: string;
  readonly active?: boolean;
  /**
   * Every period the tariff sells from now on, with its price: a period left out is no longer sold
   * (with its addon prices), a new one gets addon prices from the nearest shorter period.
   */
  readonly prices?: readonly PeriodPriceInput[];
  /** Processing modules that may provision it, first tried first; replaces the list. */
  readonly moduleIds?: readonly number[];
}

/**
 * Edits a tariff plan in one transaction: name, active, the prices of the periods it sells and its
 * processing modules in order. Paid services keep what they paid; the version is bumped so new
 * orders pay the new prices.
 * @example await updateTariff(ctx, { tariffId: 1, name: 'DomainSSL', prices: [{ years: 1, amount: '35.00' }], moduleIds: [2, 1] })
 */
export async function updateTariff(ctx: BillingContext, input: UpdateTariffInput): Promise<Tariff> {
  const tariff = await getTariff(ctx.db.kysely, input.tariffId);
  const name = input.name === undefined ? undefined : readText(input.name, 'tariff name');
  const prices = input.prices === undefined ? undefined : readPrices(input.prices, tariff.currency);
  const moduleIds = input.moduleIds === undefined ? undefined : readModuleIds(input.moduleIds);
  const at = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (prices) {
      const kept = prices.map((p) => p.years);
      const dropped = tariff.prices.map((p) => p.years).filter((y) => !kept.includes(y));
      if (dropped.length) {
        await trx
          .deleteFrom('tariff_prices')
          .where('tariff_id', '=', tariff.id)
          .where('years', 'in', dropped)
          .execute();
        await trx
          .deleteFrom('tariff_addon_prices')
          .where('tariff_id', '=', tariff.id)
          .where('years', 'in', dropped)
          .execute();
      }
      for (const p of prices) {
        if (tariff.prices.some((old) => old.years === p.years)) {
          await trx
            .updateTable('tariff_prices')
            .set({ price_minor: p.amountMinor })
            .where('tariff_id', '=', tariff.id)
            .where('years', '=', p.years)
            .execute();
          continue;
        }
        await trx
          .insertInto('tariff_prices')
          .values({ tariff_id: tariff.id, years: p.years, price_minor: p.amountMinor })
          .execute();
        for (const addon of tariff.addons) {
          const template = [...addon.prices].reverse().find((ap) => ap.years < p.years) ?? addon.prices[0];
          if (!template) continue;
          await trx
            .insertInto('tariff_addon_prices')
            .values({
              tariff_id: tariff.id,
              kind: addon.kind,
              years: p.years,
              price_minor: template.price.amountMinor,
            })
            .execute();
        }
      }
    }
    if (moduleIds) {
      await trx.deleteFrom('tariff_modules').where('tariff_id', '=', tariff.id).execute();
      if (moduleIds.length) {
        await trx
          .insertInto('tariff_modules')
          .values(moduleIds.map((moduleId, sort) => ({ tariff_id: tariff.id, module_id: moduleId, sort })))
          .execute();
      }
    }
    await trx
      .updateTable('tariffs')
      .set((eb) => ({
        ...(name === undefined ? {} : { name }),
        ...(input.active === undefined ? {} : { active: input.active ? 1 : 0 }),
        version: eb('version', '+', 1),
        updated_at: at,
      }))
      .where('id', '=', tariff.id)
      .execute();
  });
  return getTariff(ctx.db.kysely, tariff.id);
}

function readPrices(input: readonly PeriodPriceInput[], currency: string) {
  if (input.length === 0) {
    throw invalidTariff('Give the price of at least one period, e.g. 1 year for 30.00.', 'prices');
  }
  const seen = new Set<number>();
  return input
    .map((p) => {
      const years = assertYears(p.years);
      if (seen.has(years)) throw invalidTariff(`The price for ${years} year(s) is given twice.`, 'prices');
      seen.add(years);
      const price = parseMoney(p.amount, currency);
      if (price.amountMinor <= 0) {
        throw invalidTariff(`The ${years}-year price must be more than zero.`, 'prices');
      }
      return { years, amountMinor: price.amountMinor };
    })
    .sort((a, b) => a.years - b.years);
}
