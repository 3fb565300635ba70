import { AppError } from '../core/errors/index.ts';
import { assertBeforeDays } from './subscription-terms.ts';
import { DAY_MS } from './utc-date.ts';

/** One certificate as the CA issued it, with the subscription it belongs to. */
export interface IssuedCertificateTerms {
  /** issuedAt / notBefore of the certificate. */
  readonly issuedAt: Date;
  /** The CA's real notAfter, never the nominal maximum. */
  readonly notAfter: Date;
  readonly beforeDays: number;
  readonly paidUntil: Date;
}

export interface ReissueTrigger {
  readonly reissueAt: Date;
  /** True when `before` exceeded half the lifetime and the trigger moved to mid-life. */
  readonly clampedToMidLife: boolean;
}

/**
 * When the reissue policy fires for one issued certificate: `notAfter − before days`, but never
 * earlier than mid-life, so a short certificate is not reissued again and again; null when the
 * certificate already reaches the end of the paid period.
 * @example
 *   explainReissueTrigger({ issuedAt: 2029-04-01T00:00Z, notAfter: 2029-05-17T23:59:59Z, beforeDays: 200,
 *     paidUntil: 2031-01-01T00:00Z }) → { reissueAt: 2029-04-24T11:59:59.500Z, clampedToMidLife: true }
 */
export function explainReissueTrigger(terms: IssuedCertificateTerms): ReissueTrigger | null {
  const issued = terms.issuedAt.getTime();
  const end = terms.notAfter.getTime();
  assertBeforeDays(terms.beforeDays);
  if (!(end > issued)) {
    throw new AppError(
      'DOMAIN_INVALID_CERTIFICATE_DATES',
      `A certificate's notAfter (${terms.notAfter.toISOString()}) must be after its issue instant (${terms.issuedAt.toISOString()}).`,
      { issuedAt: terms.issuedAt.toISOString(), notAfter: terms.notAfter.toISOString() },
    );
  }
  if (end >= terms.paidUntil.getTime()) return null;
  const beforeTrigger = end - terms.beforeDays * DAY_MS;
  // Rounded up so the trigger is strictly after the issue even for a lifetime of one millisecond.
  const midLife = issued + Math.ceil((end - issued) / 2);
  return beforeTrigger >= midLife
    ? { reissueAt: new Date(beforeTrigger), clampedToMidLife: false }
    : { reissueAt: new Date(midLife), clampedToMidLife: true };
}

/**
 * The instant the policy fires for one issued certificate, or null for the last one of the paid
 * period. Provisioning calls it with the CA's real notAfter.
 * @example
 *   computeReissueTrigger({ issuedAt: 2026-04-02T12:00Z, notAfter: 2026-10-19T11:59:59Z, beforeDays: 10,
 *     paidUntil: 2031-04-02T12:00Z }) → 2026-10-09T11:59:59Z
 */
export function computeReissueTrigger(terms: IssuedCertificateTerms): Date | null {
  return explainReissueTrigger(terms)?.reissueAt ?? null;
}
