import { AppError } from '../core/errors/index.ts';
import { addMoney, formatMoney, money, multiplyMoney, type Money } from '../core/money.ts';
import { assertYears } from './subscription-terms.ts';

export const PRICE_LINE_KINDS = ['base', 'uc-san', 'additional-domain'] as const;
export type PriceLineKind = (typeof PRICE_LINE_KINDS)[number];

export interface PriceLine {
  readonly kind: PriceLineKind;
  /** Charged units: names beyond the included count; amount = unit × quantity. */
  readonly quantity: number;
  readonly unit: Money;
  readonly amount: Money;
  readonly description: string;
}

export interface OrderPrice {
  readonly lines: PriceLine[];
  readonly total: Money;
}

export interface OrderPriceInput {
  readonly years: number;
  /** Tariff price for the whole period. */
  readonly basePrice: Money;
  /** UC SAN addon price per name for the period. */
  readonly ucSanPrice: Money;
  /** Additional domain addon price per name for the period. */
  readonly domainPrice: Money;
  readonly ucSanCount: number;
  readonly additionalDomainCount: number;
  /** UC SAN names the tariff includes for free; default 0. */
  readonly ucSanIncluded?: number;
  /** Additional domains the tariff includes for free; default 0. */
  readonly domainIncluded?: number;
}

/**
 * The price of an order, broken down: base price for the period, then one line per addon that has
 * names (even when free, so the client sees why). All prices must share one currency.
 * @example
 *   priceOrder({ years: 5, basePrice: USD 100.00, ucSanPrice: USD 0.00, domainPrice: USD 20.00,
 *     ucSanCount: 1, additionalDomainCount: 1 }).total → { amountMinor: 12000, currency: 'USD' }
 */
export function priceOrder(input: OrderPriceInput): OrderPrice {
  const years = assertYears(input.years);
  const { basePrice, ucSanPrice, domainPrice } = input;
  assertPrice('base price', basePrice);
  assertPrice('UC SAN price', ucSanPrice);
  assertPrice('additional domain price', domainPrice);
  assertSameCurrency('UC SAN price', ucSanPrice, basePrice);
  assertSameCurrency('additional domain price', domainPrice, basePrice);
  const ucSanCount = assertCount('UC SAN count', input.ucSanCount);
  const domainCount = assertCount('additional domain count', input.additionalDomainCount);
  const ucSanIncluded = assertCount('included UC SAN count', input.ucSanIncluded ?? 0);
  const domainIncluded = assertCount('included additional domain count', input.domainIncluded ?? 0);

  const lines: PriceLine[] = [
    {
      kind: 'base',
      quantity: 1,
      unit: basePrice,
      amount: basePrice,
      description: `Certificate, ${years} year${years === 1 ? '' : 's'}`,
    },
  ];
  if (ucSanCount > 0) lines.push(addonLine('uc-san', 'UC SAN name', ucSanCount, ucSanIncluded, ucSanPrice));
  if (domainCount > 0) {
    lines.push(addonLine('additional-domain', 'additional domain', domainCount, domainIncluded, domainPrice));
  }
  const total = lines.reduce((sum, line) => addMoney(sum, line.amount), money(0, basePrice.currency));
  return { lines, total };
}

function addonLine(
  kind: PriceLineKind,
  noun: string,
  count: number,
  included: number,
  unit: Money,
): PriceLine {
  const quantity = Math.max(0, count - included);
  const free = count - quantity;
  const names = `${count} ${noun}${count === 1 ? '' : 's'}`;
  const detail = free > 0 ? ` (${free} included)` : '';
  return {
    kind,
    quantity,
    unit,
    amount: multiplyMoney(unit, quantity),
    description: `${names}${detail}, ${quantity} × ${formatMoney(unit)} ${unit.currency}`,
  };
}

function assertPrice(label: string, price: Money): void {
  if (!Number.isSafeInteger(price.amountMinor) || price.amountMinor < 0) {
    throw new AppError(
      'DOMAIN_INVALID_PRICE',
      `The ${label} must be zero or more whole minor units; got ${String(price.amountMinor)}.`,
      { price: label, amountMinor: price.amountMinor },
    );
  }
}

function assertSameCurrency(label: string, price: Money, base: Money): void {
  if (price.currency !== base.currency) {
    throw new AppError(
      'DOMAIN_PRICE_CURRENCY_MISMATCH',
      `The ${label} is in ${price.currency} but the base price is in ${base.currency}; all prices of an order must be in one currency.`,
      { price: label, currency: price.currency, expected: base.currency },
    );
  }
}

function assertCount(label: string, count: number): number {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AppError(
      'DOMAIN_INVALID_QUANTITY',
      `The ${label} must be a whole number, zero or more; got ${String(count)}.`,
      {
        quantity: label,
        value: count,
      },
    );
  }
  return count;
}
