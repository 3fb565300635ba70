/** The limits the Baseline Requirements set for a certificate issued at a given instant. */
export interface ValidityLimits {
  /** First instant the row applies (00:00Z), null for the row that has always applied. */
  readonly from: string | null;
  readonly maxValidityDays: number;
  readonly dcvReuseDays: number;
  readonly siiReuseDays: number;
}

/**
 * CA/Browser Forum ballot SC-081, oldest row first. A future ballot changes this table only.
 */
export const VALIDITY_SCHEDULE = [
  { from: null, maxValidityDays: 398, dcvReuseDays: 398, siiReuseDays: 825 },
  { from: '2026-03-15T00:00:00.000Z', maxValidityDays: 200, dcvReuseDays: 200, siiReuseDays: 398 },
  { from: '2027-03-15T00:00:00.000Z', maxValidityDays: 100, dcvReuseDays: 100, siiReuseDays: 398 },
  { from: '2029-03-15T00:00:00.000Z', maxValidityDays: 47, dcvReuseDays: 10, siiReuseDays: 398 },
] as const satisfies readonly ValidityLimits[];

const ROW_STARTS = VALIDITY_SCHEDULE.map((row) => (row.from === null ? -Infinity : Date.parse(row.from)));

/**
 * The limits in force at an instant; a row applies from 00:00:00Z of its date on.
 * @example limitsOn(new Date('2026-04-02T12:00:00Z')).maxValidityDays → 200
 */
export function limitsOn(instant: Date): ValidityLimits {
  const t = instant.getTime();
  for (let i = ROW_STARTS.length - 1; i > 0; i--) {
    if (t >= (ROW_STARTS[i] as number)) return VALIDITY_SCHEDULE[i] as ValidityLimits;
  }
  return VALIDITY_SCHEDULE[0];
}
