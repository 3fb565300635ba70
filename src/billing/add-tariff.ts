import { AppError } from '../core/errors/index.ts';
import { assertCurrency, parseMoney, type Money } from '../core/money.ts';
import { assertYears, type NameAddon } from '../domain/index.ts';
import type { BillingContext } from './billing-context.ts';
import { certificateProduct, SSL_PRODUCT_TYPE } from './certificate-products.ts';
import { readText } from './read-text.ts';
import { ADDON_LABELS, getTariff, type Tariff } from './tariff-repository.ts';

export interface PeriodPriceInput {
  readonly years: number;
  /** Decimal string in the tariff's currency: "100.00". */
  readonly amount: string;
}

export interface AddonInput {
  /** One amount for every period the tariff sells, or one per period. */
  readonly price: string | readonly PeriodPriceInput[];
  /** Names the base price covers; default 0. */
  readonly includedCount?: number;
}

export interface AddTariffInput {
  readonly name: string;
  /** DV_LOW (AlphaSSL), DV (DomainSSL), OV (OrganizationSSL), EV (ExtendedSSL). */
  readonly product: string;
  readonly wildcard?: boolean;
  readonly currency: string;
  /** The certificate's price for each period sold (1 to 5 years). */
  readonly prices: readonly PeriodPriceInput[];
  /** "Additional UC SANs domains": www, owa, mail, autodiscover + the CN's base. */
  readonly ucSanAddon?: AddonInput | null;
  /** "Additional domains": any other name. */
  readonly domainAddon?: AddonInput | null;
  /** Processing modules that may provision it, first tried first. */
  readonly moduleIds?: readonly number[];
  /** Default true. */
  readonly active?: boolean;
}

/**
 * Creates a certificate tariff with its prices per period, its addons and its processing modules.
 * @example
 *   await addTariff(ctx, { name: 'DomainSSL', product: 'DV', currency: 'USD',
 *     prices: [{ years: 1, amount: '30.00' }, { years: 5, amount: '100.00' }],
 *     ucSanAddon: { price: '0.00' }, domainAddon: { price: '20.00' } }) → { id: 1, … }
 */
export async function addTariff(ctx: BillingContext, input: AddTariffInput): Promise<Tariff> {
  const name = readText(input.name, 'tariff name');
  const wildcard = input.wildcard ?? false;
  const product = certificateProduct(input.product, wildcard);
  const currency = assertCurrency(input.currency);
  const prices = readPrices(input.prices, currency, 'price');
  for (const p of prices) {
    if (p.price.amountMinor <= 0) {
      throw invalidTariff(`The ${p.years}-year price must be more than zero.`, 'prices');
    }
  }
  const periods = prices.map((p) => p.years);
  const addons = (
    [
      ['uc-san', input.ucSanAddon],
      ['additional-domain', input.domainAddon],
    ] as const
  ).flatMap(([kind, addon]) => (addon ? [readAddon(kind, addon, currency, periods)] : []));
  const moduleIds = readModuleIds(input.moduleIds ?? []);
  const at = ctx.clock.now().toISOString();

  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('tariffs')
      .values({
        name,
        product_type: SSL_PRODUCT_TYPE,
        product: product.code,
        wildcard: wildcard ? 1 : 0,
        currency,
        active: input.active === false ? 0 : 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('tariff_prices')
      .values(prices.map((p) => ({ tariff_id: row.id, years: p.years, price_minor: p.price.amountMinor })))
      .execute();
    for (const addon of addons) {
      await trx
        .insertInto('tariff_addons')
        .values({ tariff_id: row.id, kind: addon.kind, included_count: addon.includedCount })
        .execute();
      await trx
        .insertInto('tariff_addon_prices')
        .values(
          addon.prices.map((p) => ({
            tariff_id: row.id,
            kind: addon.kind,
            years: p.years,
            price_minor: p.price.amountMinor,
          })),
        )
        .execute();
    }
    if (moduleIds.length) {
      await trx
        .insertInto('tariff_modules')
        .values(moduleIds.map((moduleId, sort) => ({ tariff_id: row.id, module_id: moduleId, sort })))
        .execute();
    }
    return row.id;
  });
  return getTariff(ctx.db.kysely, id);
}

/**
 * Activates or deactivates a tariff; an inactive tariff sells nothing, its services go on.
 * @example await setTariffActive(ctx, 3, false) → { id: 3, active: false, … }
 */
export async function setTariffActive(
  ctx: BillingContext,
  tariffId: number,
  active: boolean,
): Promise<Tariff> {
  await getTariff(ctx.db.kysely, tariffId);
  await ctx.db.kysely
    .updateTable('tariffs')
    .set((eb) => ({
      active: active ? 1 : 0,
      version: eb('version', '+', 1),
      updated_at: ctx.clock.now().toISOString(),
    }))
    .where('id', '=', tariffId)
    .execute();
  return getTariff(ctx.db.kysely, tariffId);
}

/**
 * Reads the CLI's `1y=30.00,2y=55.00` into period prices.
 * @example parsePeriodPrices('1y=30.00,5y=100.00') → [{ years: 1, amount: '30.00' }, { years: 5, amount: '100.00' }]
 */
export function parsePeriodPrices(text: string): PeriodPriceInput[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^(\d+)\s*y(?:ears?)?\s*=\s*(\S+)$/i.exec(part);
      if (!m) {
        throw invalidTariff(`Price "${part}" is not <years>y=<amount>, e.g. 1y=30.00,2y=55.00.`, 'prices');
      }
      return { years: Number(m[1]), amount: m[2] as string };
    });
}

function readPrices(
  input: readonly PeriodPriceInput[],
  currency: string,
  what: string,
): Array<{ years: number; price: Money }> {
  if (input.length === 0) throw invalidTariff(`Give at least one ${what}, e.g. 1y=30.00.`, 'prices');
  const seen = new Set<number>();
  const prices = input.map((p) => {
    const years = assertYears(p.years);
    if (seen.has(years)) throw invalidTariff(`The ${what} for ${years} year(s) is given twice.`, 'prices');
    seen.add(years);
    const price = parseMoney(p.amount, currency);
    if (price.amountMinor < 0) throw invalidTariff(`The ${what} for ${years} year(s) is negative.`, 'prices');
    return { years, price };
  });
  return prices.sort((a, b) => a.years - b.years);
}

function readAddon(kind: NameAddon, addon: AddonInput, currency: string, periods: number[]) {
  const label = ADDON_LABELS[kind];
  const prices =
    typeof addon.price === 'string'
      ? readPrices(
          periods.map((years) => ({ years, amount: addon.price as string })),
          currency,
          `${label} price`,
        )
      : readPrices(addon.price, currency, `${label} price`);
  const priced = prices.map((p) => p.years);
  const missing = periods.filter((y) => !priced.includes(y));
  const extra = priced.filter((y) => !periods.includes(y));
  if (missing.length || extra.length) {
    throw invalidTariff(
      `${label} must be priced for exactly the periods the tariff sells (${periods.join(', ')} years); ` +
        (missing.length ? `missing ${missing.join(', ')}.` : `not sold: ${extra.join(', ')}.`),
      'addons',
    );
  }
  const includedCount = addon.includedCount ?? 0;
  if (!Number.isSafeInteger(includedCount) || includedCount < 0 || includedCount > 100) {
    throw invalidTariff(`${label}: the included count must be a whole number from 0 to 100.`, 'addons');
  }
  return { kind, includedCount, prices };
}

/** The processing modules of a tariff in their order: positive ids, each once. */
export function readModuleIds(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < 1) {
      throw invalidTariff(`Processing module id ${String(id)} is not a positive whole number.`, 'modules');
    }
    if (seen.has(id)) throw invalidTariff(`Processing module ${id} is listed twice.`, 'modules');
    seen.add(id);
  }
  return [...seen];
}

export function invalidTariff(message: string, field: string): AppError {
  return new AppError('BILLING_INVALID_TARIFF', message, { field });
}
