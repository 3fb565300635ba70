import type { BillingContext } from './billing-context.ts';
import { readAddonKind } from './set-tariff-addon.ts';
import { bumpTariffVersion, deleteTariffAddonRows, getTariff, type Tariff } from './tariff-repository.ts';

/**
 * Removes an addon from a tariff plan (Config → Remove): new orders with names of its class are
 * refused until it is added again; paid services keep their prices. Removing an addon the tariff does not have changes nothing.
 * @example await removeTariffAddon(ctx, { tariffId: 1, kind: 'uc-san' })
 */
export async function removeTariffAddon(
  ctx: BillingContext,
  input: { readonly tariffId: number; readonly kind: string },
): Promise<Tariff> {
  const tariff = await getTariff(ctx.db.kysely, input.tariffId);
  const kind = readAddonKind(input.kind);
  if (!tariff.addons.some((a) => a.kind === kind)) return tariff;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await deleteTariffAddonRows(trx, tariff.id, kind);
    await bumpTariffVersion(trx, tariff.id, ctx.clock.now().toISOString());
  });
  return getTariff(ctx.db.kysely, tariff.id);
}
