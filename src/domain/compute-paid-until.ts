import { assertYears } from './subscription-terms.ts';
import { formatUtcDate } from './utc-date.ts';

/**
 * The end of the paid period: the first issue plus N calendar years, same time of day; 29 February
 * falls back to 28 February in a common year.
 * @example computePaidUntil(new Date('2028-02-29T08:00:00Z'), 1) → 2029-02-28T08:00:00Z
 */
export function computePaidUntil(firstIssuedAt: Date, years: number): Date {
  assertYears(years);
  const year = firstIssuedAt.getUTCFullYear() + years;
  const month = firstIssuedAt.getUTCMonth();
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const paidUntil = new Date(firstIssuedAt.getTime());
  paidUntil.setUTCFullYear(year, month, Math.min(firstIssuedAt.getUTCDate(), lastDayOfMonth));
  return paidUntil;
}

/**
 * What the client area shows as *Paid until*: the date, or null for a one-year purchase (the date
 * is still stored and still drives reissues).
 * @example paidUntilShown(new Date('2031-04-02T12:00:00Z'), 5) → '2031-04-02'
 */
export function paidUntilShown(paidUntil: Date, years: number): string | null {
  return years === 1 ? null : formatUtcDate(paidUntil);
}
