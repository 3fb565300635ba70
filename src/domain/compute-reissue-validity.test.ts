import { describe, expect, it } from 'vitest';
import { computeReissueValidity } from './compute-reissue-validity.ts';

const at = (iso: string): Date => new Date(iso);
const PAID_UNTIL = at('2031-04-02T12:00:00Z');

describe('computeReissueValidity', () => {
  it('asks for the maximum validity of the day when the paid period is far away', () => {
    expect(computeReissueValidity(at('2026-10-09T11:59:59Z'), PAID_UNTIL)).toEqual({
      notAfter: at('2027-04-27T11:59:58Z'),
      days: 200,
      maxValidityDays: 200,
      limitedByPaidUntil: false,
    });
  });

  it('uses the maximum in force on the reissue day, not on the first issue', () => {
    expect(computeReissueValidity(at('2029-03-15T00:00:00Z'), PAID_UNTIL)).toMatchObject({
      notAfter: at('2029-04-30T23:59:59Z'),
      days: 47,
    });
  });

  it('stops at paid until, counting a started day as a whole day', () => {
    expect(computeReissueValidity(at('2031-03-20T00:00:00Z'), PAID_UNTIL)).toEqual({
      notAfter: PAID_UNTIL,
      days: 14,
      maxValidityDays: 47,
      limitedByPaidUntil: true,
    });
  });

  it('refuses to issue once the paid period is over', () => {
    expect(() => computeReissueValidity(PAID_UNTIL, PAID_UNTIL)).toThrow(
      expect.objectContaining({ code: 'DOMAIN_PAID_PERIOD_OVER' }),
    );
  });
});
