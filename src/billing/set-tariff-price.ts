import { parseMoney } from '../core/money.ts';
import { assertYears } from '../domain/index.ts';
import type { BillingContext } from './billing-context.ts';
import { bumpTariffVersion, getTariff, type Tariff } from './tariff-repository.ts';
import { AppError } from '../core/errors/index.ts';

export interface SetTariffPriceInput {
  readonly tariffId: number;
  readonly years: number;
  /** Decimal string in the tariff's currency. */
  readonly amount: string;
}

/**
 * Sets the certificate price of one period (adding the period when new). Paid services keep the
 * price they paid; new orders and renewals pay the new one. A new period needs its addon prices:
 * they start at the price of the nearest shorter period (or the shortest).
 * @example await setTariffPrice(ctx, { tariffId: 1, years: 5, amount: '110.00' })
 */
export async function setTariffPrice(ctx: BillingContext, input: SetTariffPriceInput): Promise<Tariff> {
  const tariff = await getTariff(ctx.db.kysely, input.tariffId);
  const years = assertYears(input.years);
  const price = parseMoney(input.amount, tariff.currency);
  if (price.amountMinor <= 0) {
    throw new AppError('BILLING_INVALID_TARIFF', `The ${years}-year price must be more than zero.`, {
      field: 'prices',
    });
  }
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('tariff_prices')
      .set({ price_minor: price.amountMinor })
      .where('tariff_id', '=', tariff.id)
      .where('years', '=', years)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await trx
        .insertInto('tariff_prices')
        .values({ tariff_id: tariff.id, years, price_minor: price.amountMinor })
        .execute();
      for (const addon of tariff.addons) {
        const template = [...addon.prices].reverse().find((p) => p.years < years) ?? addon.prices[0];
        if (!template) continue;
        await trx
          .insertInto('tariff_addon_prices')
          .values({ tariff_id: tariff.id, kind: addon.kind, years, price_minor: template.price.amountMinor })
          .execute();
      }
    }
    await bumpTariffVersion(trx, tariff.id, ctx.clock.now().toISOString());
  });
  return getTariff(ctx.db.kysely, tariff.id);
}
