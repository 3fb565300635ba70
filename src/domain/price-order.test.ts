import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney, type Money } from '../core/money.ts';
import { priceOrder, type OrderPriceInput } from './price-order.ts';

const usd = (amount: string): Money => parseMoney(amount, 'USD');

function orderPrice(overrides: Partial<OrderPriceInput> = {}) {
  return priceOrder({
    years: 5,
    basePrice: usd('100.00'),
    ucSanPrice: usd('0.00'),
    domainPrice: usd('20.00'),
    ucSanCount: 1,
    additionalDomainCount: 1,
    ...overrides,
  });
}

describe('priceOrder', () => {
  it('prices the seed order at 120.00: base 100.00, one free UC SAN, one domain at 20.00', () => {
    const price = orderPrice();
    expect(price.total).toEqual({ amountMinor: 12000, currency: 'USD' });
    expect(price.lines.map((l) => [l.kind, l.quantity, l.unit.amountMinor, l.amount.amountMinor])).toEqual([
      ['base', 1, 10000, 10000],
      ['uc-san', 1, 0, 0],
      ['additional-domain', 1, 2000, 2000],
    ]);
    expect(price.lines[0]!.description).toBe('Certificate, 5 years');
  });

  it('multiplies each addon price by its count', () => {
    const price = orderPrice({ ucSanPrice: usd('5.50'), ucSanCount: 3, additionalDomainCount: 4 });
    expect(price.lines.map((l) => l.amount.amountMinor)).toEqual([10000, 1650, 8000]);
    expect(price.total.amountMinor).toBe(10000 + 1650 + 8000);
  });

  it('leaves out the line of an addon with no names', () => {
    const price = orderPrice({ ucSanCount: 0, additionalDomainCount: 0 });
    expect(price.lines.map((l) => l.kind)).toEqual(['base']);
    expect(price.total.amountMinor).toBe(10000);
  });

  it('gives the included names for free and charges the rest', () => {
    const price = orderPrice({
      additionalDomainCount: 5,
      domainIncluded: 2,
      ucSanCount: 1,
      ucSanIncluded: 3,
    });
    const domains = price.lines.find((l) => l.kind === 'additional-domain')!;
    expect(domains.quantity).toBe(3);
    expect(domains.amount.amountMinor).toBe(6000);
    expect(domains.description).toContain('5 additional domains (2 included)');
    expect(price.lines.find((l) => l.kind === 'uc-san')!.quantity).toBe(0);
    expect(price.total.amountMinor).toBe(16000);
  });

  it('works in a currency without minor units', () => {
    const jpy = (amount: string) => parseMoney(amount, 'JPY');
    const price = orderPrice({ basePrice: jpy('15000'), ucSanPrice: jpy('0'), domainPrice: jpy('3000') });
    expect(price.total).toEqual({ amountMinor: 18000, currency: 'JPY' });
  });

  it('refuses addon prices in another currency than the base price', () => {
    expect(() => orderPrice({ domainPrice: parseMoney('20.00', 'EUR') })).toThrow(
      expect.objectContaining({
        code: 'DOMAIN_PRICE_CURRENCY_MISMATCH',
        message: expect.stringContaining('additional domain price is in EUR but the base price is in USD'),
      }),
    );
  });

  it('refuses negative prices, negative or fractional counts and an invalid period', () => {
    expect(() => orderPrice({ basePrice: usd('-1.00') })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_PRICE' }),
    );
    expect(() => orderPrice({ ucSanCount: -1 })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_QUANTITY' }),
    );
    expect(() => orderPrice({ domainIncluded: 1.5 })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_QUANTITY' }),
    );
    expect(() => orderPrice({ years: 6 })).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_YEARS' }));
  });

  it('adds up to the base price plus the charged names times their prices, in whole minor units', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        (base, uc, domain, ucCount, domainCount, ucIncluded, domainIncluded) => {
          const price = priceOrder({
            years: 1,
            basePrice: { amountMinor: base, currency: 'USD' },
            ucSanPrice: { amountMinor: uc, currency: 'USD' },
            domainPrice: { amountMinor: domain, currency: 'USD' },
            ucSanCount: ucCount,
            additionalDomainCount: domainCount,
            ucSanIncluded: ucIncluded,
            domainIncluded,
          });
          const expected =
            base +
            uc * Math.max(0, ucCount - ucIncluded) +
            domain * Math.max(0, domainCount - domainIncluded);
          expect(price.total.amountMinor).toBe(expected);
          expect(Number.isInteger(price.total.amountMinor)).toBe(true);
          for (const line of price.lines)
            expect(line.amount.amountMinor).toBe(line.unit.amountMinor * line.quantity);
        },
      ),
    );
  });
});
