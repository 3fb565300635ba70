import { AppError } from '../core/errors/index.ts';

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d))?$/;

/**
 * Reads an ISO 8601 instant with an explicit offset, or a bare date meaning 00:00Z. Impossible
 * dates (2026-02-30) are refused rather than rolled over.
 * @example parseInstant('2026-04-02T12:00:00Z', 'issued') → 2026-04-02T12:00:00.000Z
 */
export function parseInstant(text: string, field: string): Date {
  const m = INSTANT_RE.exec(text.trim());
  const refuse = (): never => {
    throw new AppError(
      'DOMAIN_INVALID_INSTANT',
      `${field} "${text}" is not an instant; use ISO 8601 in UTC such as 2026-04-02T12:00:00Z (or a date 2026-04-02).`,
      { field, value: text },
    );
  };
  if (!m) return refuse();
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  const sameFields =
    calendar.getUTCFullYear() === Number(y) &&
    calendar.getUTCMonth() === Number(mo) - 1 &&
    calendar.getUTCDate() === Number(d) &&
    calendar.getUTCHours() === Number(h) &&
    calendar.getUTCMinutes() === Number(mi) &&
    calendar.getUTCSeconds() === Number(s);
  if (!sameFields) return refuse();
  const instant = new Date(m[4] === undefined ? `${y}-${mo}-${d}T00:00:00Z` : text.trim());
  if (Number.isNaN(instant.getTime())) return refuse();
  return instant;
}

/** Refuses an Invalid Date handed over by a caller. */
export function assertInstant(instant: Date, field: string): Date {
  if (Number.isNaN(instant.getTime())) {
    throw new AppError('DOMAIN_INVALID_INSTANT', `${field} is not a valid instant.`, { field });
  }
  return instant;
}
