import { AppError } from '../core/errors/index.ts';
import { DAY_MS, SECOND_MS } from './utc-date.ts';
import { limitsOn } from './validity-schedule.ts';

export interface ReissueValidity {
  /** The notAfter to ask the CA for. */
  readonly notAfter: Date;
  /** The same length in days, any fraction counted as a whole day (as the Baseline Requirements count). */
  readonly days: number;
  /** Maximum validity in force on the issue day. */
  readonly maxValidityDays: number;
  /** True when the end of the paid period, not the maximum validity, sets notAfter. */
  readonly limitedByPaidUntil: boolean;
}

/**
 * The validity to request for a certificate issued at `issueAt`: min(max validity that day, time
 * left to paid until). Works for the first issue as well as for reissues.
 * @example
 *   computeReissueValidity(new Date('2031-03-20T00:00:00Z'), new Date('2031-04-02T12:00:00Z'))
 *   → { notAfter: 2031-04-02T12:00:00Z, days: 14, maxValidityDays: 47, limitedByPaidUntil: true }
 */
export function computeReissueValidity(issueAt: Date, paidUntil: Date): ReissueValidity {
  const start = issueAt.getTime();
  const end = paidUntil.getTime();
  if (start >= end) {
    throw new AppError(
      'DOMAIN_PAID_PERIOD_OVER',
      `No certificate can be issued at ${issueAt.toISOString()}: the paid period ended at ${paidUntil.toISOString()}. Renew the subscription first.`,
      { issueAt: issueAt.toISOString(), paidUntil: paidUntil.toISOString() },
    );
  }
  const { maxValidityDays } = limitsOn(issueAt);
  const capEnd = start + maxValidityDays * DAY_MS - SECOND_MS;
  const notAfter = Math.min(capEnd, end);
  return {
    notAfter: new Date(notAfter),
    days: Math.ceil((notAfter - start) / DAY_MS),
    maxValidityDays,
    limitedByPaidUntil: end < capEnd,
  };
}
