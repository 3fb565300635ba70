import type { Money } from '../core/money.ts';

/**
 * Money read back from the database, where only validated amounts are written: it skips the
 * currency check of `money()`, which scans Intl's currency list and showed in order profiles.
 * @example storedMoney(12000, 'USD') → { amountMinor: 12000, currency: 'USD' }
 */
export function storedMoney(amountMinor: number, currency: string): Money {
  return Object.freeze({ amountMinor, currency });
}
