import { describe, expect, it } from 'vitest';
import { limitsOn, VALIDITY_SCHEDULE } from './validity-schedule.ts';

const at = (iso: string): Date => new Date(iso);

describe('limitsOn', () => {
  it.each([
    ['2025-06-01T00:00:00Z', 398, 398, 825],
    ['2026-03-14T23:59:59.999Z', 398, 398, 825],
    ['2026-03-15T00:00:00Z', 200, 200, 398],
    ['2026-04-02T12:00:00Z', 200, 200, 398],
    ['2027-03-14T23:59:59.999Z', 200, 200, 398],
    ['2027-03-15T00:00:00Z', 100, 100, 398],
    ['2029-03-14T23:59:59.999Z', 100, 100, 398],
    ['2029-03-15T00:00:00Z', 47, 10, 398],
    ['2040-01-01T00:00:00Z', 47, 10, 398],
  ])(
    'at %s allows %i days of validity, %i days of DCV reuse and %i days of SII reuse',
    (iso, max, dcv, sii) => {
      expect(limitsOn(at(iso))).toMatchObject({ maxValidityDays: max, dcvReuseDays: dcv, siiReuseDays: sii });
    },
  );

  it('switches rows at 00:00Z, not in a local time zone', () => {
    expect(limitsOn(at('2027-03-15T00:00:00+01:00')).maxValidityDays).toBe(200);
    expect(limitsOn(at('2027-03-14T23:00:00-01:00')).maxValidityDays).toBe(100);
  });

  it('keeps the schedule ordered by start date so a lookup never picks an older row', () => {
    const starts = VALIDITY_SCHEDULE.slice(1).map((row) => Date.parse(row.from as string));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(VALIDITY_SCHEDULE[0].from).toBeNull();
  });
});
