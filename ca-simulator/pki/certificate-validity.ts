/**
 * How long a certificate issued at a given instant may live (CA/B Forum ballot SC-081).
 * `cap` issues at the limit (notAfter = notBefore + maxDays − 1 s); `globalsign` issues one day
 * under it, switching one day early, as GlobalSign does (199-day certificates from 2026-03-14).
 *
 * @example
 *   certificateEnd(new Date('2026-04-02T10:00:00Z'), 'cap', 12).toISOString() // '2026-10-19T09:59:59.000Z'
 */
export type ValidityMode = 'cap' | 'globalsign';

const LIMITS: ReadonlyArray<{ from: string; maxDays: number; dcvReuseDays: number }> = [
  { from: '2029-03-15', maxDays: 47, dcvReuseDays: 10 },
  { from: '2027-03-15', maxDays: 100, dcvReuseDays: 100 },
  { from: '2026-03-15', maxDays: 200, dcvReuseDays: 200 },
  { from: '0000-01-01', maxDays: 398, dcvReuseDays: 398 },
];

const DAY_MS = 86_400_000;

/** Maximum validity in whole days for a certificate issued at `at`. */
export function maxValidityDays(at: Date, mode: ValidityMode): number {
  const shifted = mode === 'globalsign' ? new Date(at.getTime() + DAY_MS) : at;
  const day = shifted.toISOString().slice(0, 10);
  const limit = LIMITS.find((l) => day >= l.from)!;
  return mode === 'globalsign' ? limit.maxDays - 1 : limit.maxDays;
}

/**
 * Whether a domain validation done at `validatedAt` may still be reused for a certificate issued
 * at `at` (the DCV reuse period in force on that day).
 * @example dcvReusable(new Date('2026-04-02T12:00:00Z'), new Date('2027-04-03T12:00:00Z')) // false (100 days then)
 */
export function dcvReusable(validatedAt: Date, at: Date): boolean {
  const day = at.toISOString().slice(0, 10);
  const limit = LIMITS.find((l) => day >= l.from)!;
  return at.getTime() - validatedAt.getTime() <= limit.dcvReuseDays * DAY_MS;
}

/** The latest notAfter allowed for notBefore under the baseline limit. */
export function baselineEnd(notBefore: Date, mode: ValidityMode): Date {
  return new Date(notBefore.getTime() + maxValidityDays(notBefore, mode) * DAY_MS - 1000);
}

export function addMonths(d: Date, months: number): Date {
  const r = new Date(d.getTime());
  const day = r.getUTCDate();
  r.setUTCDate(1);
  r.setUTCMonth(r.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
  r.setUTCDate(Math.min(day, lastDay));
  return r;
}

/**
 * notAfter for a certificate issued at `notBefore`: the baseline limit, the ordered Months and an
 * optional custom NotAfter, whichever comes first.
 */
export function certificateEnd(
  notBefore: Date,
  mode: ValidityMode,
  months: number,
  customNotAfter?: Date,
): Date {
  let end = baselineEnd(notBefore, mode).getTime();
  end = Math.min(end, addMonths(notBefore, months).getTime() - 1000);
  if (customNotAfter) end = Math.min(end, customNotAfter.getTime());
  return new Date(end);
}
