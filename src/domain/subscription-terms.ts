import { AppError } from '../core/errors/index.ts';

export const MIN_YEARS = 1;
export const MAX_YEARS = 5;
export const MIN_BEFORE_DAYS = 1;
export const MAX_BEFORE_DAYS = 200;
export const DEFAULT_BEFORE_DAYS = 10;

/** Refuses a paid period outside 1..5 whole years. */
export function assertYears(years: number, shown: string = String(years)): number {
  if (!Number.isInteger(years) || years < MIN_YEARS || years > MAX_YEARS) {
    throw new AppError(
      'DOMAIN_INVALID_YEARS',
      `The paid period must be a whole number of years from ${MIN_YEARS} to ${MAX_YEARS}; got ${shown}.`,
      { years, allowed: [MIN_YEARS, MAX_YEARS] },
    );
  }
  return years;
}

/** Refuses a reissue lead time outside 1..200 whole days. */
export function assertBeforeDays(days: number, shown: string = String(days)): number {
  if (!Number.isInteger(days) || days < MIN_BEFORE_DAYS || days > MAX_BEFORE_DAYS) {
    throw new AppError(
      'DOMAIN_INVALID_BEFORE_DAYS',
      `Days before expiration must be a whole number from ${MIN_BEFORE_DAYS} to ${MAX_BEFORE_DAYS}; got ${shown}.`,
      { beforeDays: days, allowed: [MIN_BEFORE_DAYS, MAX_BEFORE_DAYS] },
    );
  }
  return days;
}

/** @example parseYears('5') → 5; parseYears('5y') throws DOMAIN_INVALID_YEARS */
export function parseYears(text: string): number {
  return assertYears(parseWholeNumber(text), JSON.stringify(text));
}

/** @example parseBeforeDays('10') → 10 */
export function parseBeforeDays(text: string): number {
  return assertBeforeDays(parseWholeNumber(text), JSON.stringify(text));
}

function parseWholeNumber(text: string): number {
  return /^\s*\d{1,6}\s*$/.test(text) ? Number(text) : Number.NaN;
}
