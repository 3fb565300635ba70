import { expectedMaxNotAfter, type CaHabit } from './ca-habit.ts';
import { computePaidUntil, paidUntilShown } from './compute-paid-until.ts';
import { explainReissueTrigger } from './compute-reissue-trigger.ts';
import { computeReissueValidity } from './compute-reissue-validity.ts';
import { assertInstant } from './parse-instant.ts';
import { needsSubjectIdentity, type ProductType } from './product-type.ts';
import { assertBeforeDays, assertYears, DEFAULT_BEFORE_DAYS } from './subscription-terms.ts';
import { DAY_MS, formatUtcDate } from './utc-date.ts';
import { limitsOn, type ValidityLimits } from './validity-schedule.ts';

export interface SubscriptionPlanInput {
  readonly productType: ProductType;
  /** Issue instant of the first certificate: the paid period starts here. */
  readonly firstIssuedAt: Date;
  readonly years: number;
  /** Days before expiration the reissue policy fires, 1..200; default 10. */
  readonly beforeDays?: number;
  /** Default `cap`. */
  readonly caHabit?: CaHabit;
  /** Last domain validation; default the first issue. */
  readonly lastDcvAt?: Date;
  /** Last organization (subject identity) validation, OV/EV only; default the first issue. */
  readonly lastSiiAt?: Date;
}

export interface PlannedCertificate {
  readonly issuedAt: Date;
  readonly notAfter: Date;
  /** UTC date of notAfter, YYYY-MM-DD. */
  readonly expirationDate: string;
  /** When the policy fires for this certificate; null for the last one of the paid period. */
  readonly reissueAt: Date | null;
  readonly triggerClampedToMidLife: boolean;
  /** Whether issuing this certificate (a reissue) needed a fresh domain validation; false for the first. */
  readonly needsDcv: boolean;
  /** Same for organization data (OV/EV); always false for DV and for the first certificate. */
  readonly needsSii: boolean;
  readonly limits: ValidityLimits;
}

export interface SubscriptionPlan {
  readonly paidUntil: Date;
  /** What the client area shows as *Paid until*; null for one year. */
  readonly paidUntilShown: string | null;
  /** Expiration date of the first certificate. */
  readonly expirationDate: string;
  readonly certificates: PlannedCertificate[];
}

/**
 * Every certificate generation of a subscription: each reissue is issued when the previous
 * certificate's policy fires, for min(max validity that day, time left to paid until), so the last
 * certificate ends exactly at paid until.
 * @example
 *   planSubscription({ productType: 'DV', firstIssuedAt: new Date('2026-04-02T12:00:00Z'), years: 5 })
 *   → { expirationDate: '2026-10-19', paidUntilShown: '2031-04-02', certificates: [{ issuedAt: 2026-04-02T12:00Z,
 *       notAfter: 2026-10-19T11:59:59Z, reissueAt: 2026-10-09T11:59:59Z, … }, …] }
 */
export function planSubscription(input: SubscriptionPlanInput): SubscriptionPlan {
  const years = assertYears(input.years);
  const beforeDays = assertBeforeDays(input.beforeDays ?? DEFAULT_BEFORE_DAYS);
  const habit = input.caHabit ?? 'cap';
  const withSii = needsSubjectIdentity(input.productType);
  const firstIssuedAt = assertInstant(input.firstIssuedAt, 'First issue');
  const paidUntil = computePaidUntil(firstIssuedAt, years);

  let dcvAt = assertInstant(input.lastDcvAt ?? firstIssuedAt, 'Last DCV validation').getTime();
  let siiAt = assertInstant(input.lastSiiAt ?? firstIssuedAt, 'Last SII validation').getTime();
  let issuedAt: Date | null = firstIssuedAt;
  const certificates: PlannedCertificate[] = [];

  while (issuedAt) {
    const limits = limitsOn(issuedAt);
    const isReissue = certificates.length > 0;
    const needsDcv = isReissue && isStale(issuedAt, dcvAt, limits.dcvReuseDays);
    const needsSii = isReissue && withSii && isStale(issuedAt, siiAt, limits.siiReuseDays);
    if (needsDcv) dcvAt = issuedAt.getTime();
    if (needsSii) siiAt = issuedAt.getTime();

    const requested = computeReissueValidity(issuedAt, paidUntil);
    const habitual = expectedMaxNotAfter(issuedAt, limits.maxValidityDays, habit);
    const notAfter = new Date(Math.min(requested.notAfter.getTime(), habitual.getTime()));
    const trigger = explainReissueTrigger({ issuedAt, notAfter, beforeDays, paidUntil });

    certificates.push({
      issuedAt,
      notAfter,
      expirationDate: formatUtcDate(notAfter),
      reissueAt: trigger?.reissueAt ?? null,
      triggerClampedToMidLife: trigger?.clampedToMidLife ?? false,
      needsDcv,
      needsSii,
      limits,
    });
    issuedAt = trigger?.reissueAt ?? null;
  }

  return {
    paidUntil,
    paidUntilShown: paidUntilShown(paidUntil, years),
    expirationDate: (certificates[0] as PlannedCertificate).expirationDate,
    certificates,
  };
}

// A validation exactly as old as the reuse period may still be reused ("no more than N days").
function isStale(issueAt: Date, validatedAt: number, reuseDays: number): boolean {
  return issueAt.getTime() - validatedAt > reuseDays * DAY_MS;
}
