import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMoney, currencyExponent, formatMoney, money, parseMoney, subtractMoney } from './money.ts';

describe('money', () => {
  it('parses decimal strings into integer minor units without floating point error', () => {
    expect(parseMoney('100.00', 'USD')).toEqual({ amountMinor: 10000, currency: 'USD' });
    expect(parseMoney('0.29', 'usd')).toEqual({ amountMinor: 29, currency: 'USD' });
    expect(parseMoney('20', 'EUR').amountMinor).toBe(2000);
    expect(parseMoney('-5.5', 'USD').amountMinor).toBe(-550);
    expect(parseMoney('1500', 'JPY').amountMinor).toBe(1500);
    expect(parseMoney('1.234', 'BHD').amountMinor).toBe(1234);
  });

  it('knows each currency exponent from ISO 4217 data', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('refuses more decimals than the currency has, and text that is not a number', () => {
    expect(() => parseMoney('1.001', 'USD')).toThrowError(/at most 2 decimal/);
    expect(() => parseMoney('10.5', 'JPY')).toThrowError(/at most 0 decimal/);
    expect(() => parseMoney('ten', 'USD')).toThrowError(/not a valid USD amount/);
    expect(() => parseMoney('1e3', 'USD')).toThrowError(/not a valid/);
  });

  it('refuses unknown currencies', () => {
    expect(() => money(1, 'XYZ')).toThrowError(/ISO 4217/);
    expect(() => money(1, 'US')).toThrowError(/ISO 4217/);
  });

  it('refuses fractional minor units', () => {
    expect(() => money(1.5, 'USD')).toThrowError(/whole number/);
  });

  it('refuses to add amounts in different currencies', () => {
    expect(() => addMoney(money(1, 'USD'), money(1, 'EUR'))).toThrowError(/Cannot combine USD and EUR/);
  });

  it('formats back to the same decimal text it parsed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('USD', 'JPY', 'BHD'), (n, cur) => {
        const m = money(n, cur);
        expect(parseMoney(formatMoney(m), cur)).toEqual(m);
      }),
    );
    expect(formatMoney(money(5, 'USD'))).toBe('0.05');
    expect(formatMoney(money(-12000, 'USD'))).toBe('-120.00');
  });

  it('adds and subtracts as integers', () => {
    expect(subtractMoney(addMoney(money(10, 'USD'), money(25, 'USD')), money(5, 'USD')).amountMinor).toBe(30);
  });
});
