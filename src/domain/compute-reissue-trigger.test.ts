import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReissueTrigger, explainReissueTrigger } from './compute-reissue-trigger.ts';

const at = (iso: string): Date => new Date(iso);
const DAY = 86_400_000;
const PAID_UNTIL = at('2031-04-02T12:00:00Z');

describe('computeReissueTrigger', () => {
  it('fires the configured number of days before the real notAfter', () => {
    const reissueAt = computeReissueTrigger({
      issuedAt: at('2026-04-02T12:00:00Z'),
      notAfter: at('2026-10-19T11:59:59Z'),
      beforeDays: 10,
      paidUntil: PAID_UNTIL,
    });
    expect(reissueAt?.toISOString()).toBe('2026-10-09T11:59:59.000Z');
  });

  it('follows the notAfter the CA really issued, not the nominal maximum', () => {
    const reissueAt = computeReissueTrigger({
      issuedAt: at('2026-04-02T12:00:00Z'),
      notAfter: at('2026-10-18T11:59:59Z'),
      beforeDays: 10,
      paidUntil: PAID_UNTIL,
    });
    expect(reissueAt?.toISOString()).toBe('2026-10-08T11:59:59.000Z');
  });

  it('moves to mid-life when 200 days before would land before the middle of a 47-day certificate', () => {
    const trigger = explainReissueTrigger({
      issuedAt: at('2029-04-01T00:00:00Z'),
      notAfter: at('2029-05-17T23:59:59Z'),
      beforeDays: 200,
      paidUntil: PAID_UNTIL,
    });
    expect(trigger).toEqual({ reissueAt: at('2029-04-24T11:59:59.500Z'), clampedToMidLife: true });
  });

  it('keeps the configured trigger when it is exactly at mid-life', () => {
    const trigger = explainReissueTrigger({
      issuedAt: at('2027-01-01T00:00:00Z'),
      notAfter: at('2027-01-21T00:00:00Z'),
      beforeDays: 10,
      paidUntil: PAID_UNTIL,
    });
    expect(trigger).toEqual({ reissueAt: at('2027-01-11T00:00:00Z'), clampedToMidLife: false });
  });

  it('never fires for a certificate that reaches the end of the paid period', () => {
    expect(
      computeReissueTrigger({
        issuedAt: at('2031-03-10T00:00:00Z'),
        notAfter: PAID_UNTIL,
        beforeDays: 10,
        paidUntil: PAID_UNTIL,
      }),
    ).toBeNull();
  });

  it('refuses a notAfter that is not after the issue', () => {
    expect(() =>
      computeReissueTrigger({
        issuedAt: at('2027-01-01T00:00:00Z'),
        notAfter: at('2027-01-01T00:00:00Z'),
        beforeDays: 10,
        paidUntil: PAID_UNTIL,
      }),
    ).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_CERTIFICATE_DATES' }));
  });

  it('refuses days before expiration outside 1..200', () => {
    expect(() =>
      computeReissueTrigger({
        issuedAt: at('2027-01-01T00:00:00Z'),
        notAfter: at('2027-04-01T00:00:00Z'),
        beforeDays: 300,
        paidUntil: PAID_UNTIL,
      }),
    ).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_BEFORE_DAYS' }));
  });

  it('always fires strictly after the issue, before the expiry, and no earlier than mid-life', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2031-01-01T00:00:00Z') }),
        fc.integer({ min: 1_000, max: 400 * DAY }),
        fc.integer({ min: 1, max: 200 }),
        (issued, lifetime, beforeDays) => {
          const reissueAt = computeReissueTrigger({
            issuedAt: new Date(issued),
            notAfter: new Date(issued + lifetime),
            beforeDays,
            paidUntil: new Date(issued + lifetime + 1),
          });
          expect(reissueAt).not.toBeNull();
          const t = (reissueAt as Date).getTime();
          expect(t).toBeGreaterThan(issued);
          expect(t).toBeLessThan(issued + lifetime);
          expect(t - issued).toBeGreaterThanOrEqual(lifetime / 2);
          expect(t).toBeGreaterThanOrEqual(issued + lifetime - beforeDays * DAY);
        },
      ),
    );
  });
});
