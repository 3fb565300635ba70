import { VALIDITY_SCHEDULE } from '../domain/index.ts';

const DAY_MS = 86_400_000;

/**
 * The first instant at or after `from` at which a domain validation done at `validatedAt` may no
 * longer be reused (the DCV reuse period of the day, SC-081), walking the schedule's rows.
 * @example reuseEndsAt(new Date('2026-04-02T12:00:00Z'), new Date('2027-01-01T00:00:00Z'))
 *   → 2027-03-15T00:00:00.000Z (100 days of reuse from that day, already past)
 */
export function reuseEndsAt(validatedAt: Date, from: Date): Date {
  const rows = VALIDITY_SCHEDULE.map((row, i) => {
    const next = VALIDITY_SCHEDULE[i + 1];
    return {
      start: row.from === null ? -Infinity : Date.parse(row.from),
      end: next?.from ? Date.parse(next.from) : Infinity,
      reuseMs: row.dcvReuseDays * DAY_MS,
    };
  });
  for (const row of rows) {
    if (row.end <= from.getTime()) continue;
    const t = Math.max(row.start, from.getTime(), validatedAt.getTime() + row.reuseMs + 1);
    if (t < row.end) return new Date(t);
  }
  return new Date(Infinity);
}

/** What the early start of a reissue needs to know about the certificate in use. */
export interface EarlyStartTerms {
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly reissueAt: Date;
  /** `reissue_at − SSLValidationLeadDays` as planned at issue. */
  readonly dcvNeededFrom: Date;
  /** The oldest of the service's name validations. */
  readonly oldestValidation: Date;
}

/**
 * When a reissue that needs fresh validation starts, ahead of its trigger: at `dcv_needed_from`,
 * but not before the validation in hand stops being reusable (until then the CA would issue at
 * once, on the old validation, and throw away days of the current certificate for nothing) and
 * not before the certificate's mid-life (the guard against short certificates reissued over and
 * over). Null when that is not before the trigger: the trigger itself starts the reissue.
 * @example validationStartAt({ notBefore: 2027-04-27…, reissueAt: 2027-08-…, dcvNeededFrom: …, … }) → Date
 */
export function validationStartAt(terms: EarlyStartTerms): Date | null {
  const midLife = new Date(
    terms.notBefore.getTime() + Math.ceil((terms.notAfter.getTime() - terms.notBefore.getTime()) / 2),
  );
  const stale = reuseEndsAt(terms.oldestValidation, terms.dcvNeededFrom);
  const start = Math.max(terms.dcvNeededFrom.getTime(), midLife.getTime(), stale.getTime());
  return start < terms.reissueAt.getTime() ? new Date(start) : null;
}
