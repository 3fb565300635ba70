import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computePaidUntil, paidUntilShown } from './compute-paid-until.ts';

const at = (iso: string): Date => new Date(iso);

// Reference: shift the year in the ISO text; 29 February becomes 28 February in a common year.
function referencePaidUntil(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const rest = iso.slice(4, 10) === '-02-29' && !leap ? '-02-28' + iso.slice(10) : iso.slice(4);
  return `${year}${rest}`;
}

describe('computePaidUntil', () => {
  it('ends a five-year purchase issued 2026-04-02 on 2031-04-02, keeping the time of day', () => {
    expect(computePaidUntil(at('2026-04-02T12:00:00Z'), 5).toISOString()).toBe('2031-04-02T12:00:00.000Z');
  });

  it('moves 29 February to 28 February in a common year', () => {
    expect(computePaidUntil(at('2028-02-29T08:30:00Z'), 1).toISOString()).toBe('2029-02-28T08:30:00.000Z');
    expect(computePaidUntil(at('2028-02-29T08:30:00Z'), 2).toISOString()).toBe('2030-02-28T08:30:00.000Z');
  });

  it('keeps 29 February when the target year is a leap year', () => {
    expect(computePaidUntil(at('2028-02-29T08:30:00Z'), 4).toISOString()).toBe('2032-02-29T08:30:00.000Z');
  });

  it('refuses a period outside one to five years', () => {
    expect(() => computePaidUntil(at('2026-04-02T12:00:00Z'), 6)).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_YEARS' }),
    );
  });

  it('adds calendar years for any instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: at('2024-01-01T00:00:00Z'), max: at('2035-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 5 }),
        (issued, years) => {
          expect(computePaidUntil(issued, years).toISOString()).toBe(
            referencePaidUntil(issued.toISOString(), years),
          );
        },
      ),
    );
  });
});

describe('paidUntilShown', () => {
  it('is empty for a one-year purchase and the date otherwise', () => {
    expect(paidUntilShown(at('2027-04-02T12:00:00Z'), 1)).toBeNull();
    expect(paidUntilShown(at('2031-04-02T12:00:00Z'), 5)).toBe('2031-04-02');
  });
});
