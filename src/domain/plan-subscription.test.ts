import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  planSubscription,
  type PlannedCertificate,
  type SubscriptionPlanInput,
} from './plan-subscription.ts';

const at = (iso: string): Date => new Date(iso);
const SECOND = 1_000;
const DAY = 86_400_000;

function plan(overrides: Partial<SubscriptionPlanInput> = {}) {
  return planSubscription({
    productType: 'DV',
    firstIssuedAt: at('2026-04-02T12:00:00Z'),
    years: 5,
    ...overrides,
  });
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
const lifetimeMs = (c: PlannedCertificate): number => c.notAfter.getTime() - c.issuedAt.getTime();

// The SC-081 schedule written out independently of the table under test.
function referenceLimits(t: number): { max: number; dcv: number; sii: number } {
  if (t >= Date.parse('2029-03-15T00:00:00Z')) return { max: 47, dcv: 10, sii: 398 };
  if (t >= Date.parse('2027-03-15T00:00:00Z')) return { max: 100, dcv: 100, sii: 398 };
  if (t >= Date.parse('2026-03-15T00:00:00Z')) return { max: 200, dcv: 200, sii: 398 };
  return { max: 398, dcv: 398, sii: 825 };
}

describe('planSubscription: the seed example', () => {
  it('shows Expiration date 2026-10-19 and Paid until 2031-04-02 for a 5-year DV issued 2026-04-02', () => {
    const result = plan();
    expect(result.expirationDate).toBe('2026-10-19');
    expect(iso(result.paidUntil)).toBe('2031-04-02T12:00:00.000Z');
    expect(result.paidUntilShown).toBe('2031-04-02');
  });

  it('makes the first certificate last 200 days minus one second and reissues it 10 days before', () => {
    const [first, second] = plan().certificates;
    expect(iso(first!.issuedAt)).toBe('2026-04-02T12:00:00.000Z');
    expect(iso(first!.notAfter)).toBe('2026-10-19T11:59:59.000Z');
    expect(iso(first!.reissueAt)).toBe('2026-10-09T11:59:59.000Z');
    expect(iso(second!.issuedAt)).toBe('2026-10-09T11:59:59.000Z');
    expect(iso(second!.notAfter)).toBe('2027-04-27T11:59:58.000Z');
  });

  it('never asks for validation for the first certificate', () => {
    const [first] = plan({ productType: 'EV', lastDcvAt: at('2020-01-01T00:00:00Z') }).certificates;
    expect(first).toMatchObject({ needsDcv: false, needsSii: false });
  });

  it('expires a day earlier with a CA that stays one day under the cap', () => {
    const result = plan({ caHabit: 'under-cap' });
    expect(result.expirationDate).toBe('2026-10-18');
    expect(iso(result.certificates[0]!.notAfter)).toBe('2026-10-18T11:59:59.000Z');
  });
});

describe('planSubscription: the end of the paid period', () => {
  it('hides Paid until for one year and ends the last certificate exactly at paid until', () => {
    const result = plan({ years: 1 });
    expect(result.paidUntilShown).toBeNull();
    expect(result.certificates.map((c) => [iso(c.issuedAt), iso(c.notAfter), iso(c.reissueAt)])).toEqual([
      ['2026-04-02T12:00:00.000Z', '2026-10-19T11:59:59.000Z', '2026-10-09T11:59:59.000Z'],
      ['2026-10-09T11:59:59.000Z', '2027-04-02T12:00:00.000Z', null],
    ]);
    expect(result.certificates[1]!.expirationDate).toBe('2027-04-02');
  });

  it('issues a single shortened certificate for one year bought under the old 398-day rule', () => {
    const result = plan({ firstIssuedAt: at('2026-01-10T00:00:00Z'), years: 1 });
    expect(result.certificates).toHaveLength(1);
    expect(iso(result.certificates[0]!.notAfter)).toBe('2027-01-10T00:00:00.000Z');
    expect(result.certificates[0]!.reissueAt).toBeNull();
  });

  it('ends a subscription started on 29 February on 28 February of a common year', () => {
    const result = plan({ firstIssuedAt: at('2028-02-29T08:00:00Z'), years: 1 });
    expect(iso(result.paidUntil)).toBe('2029-02-28T08:00:00.000Z');
    expect(result.paidUntilShown).toBeNull();
    expect(iso(result.certificates.at(-1)!.notAfter)).toBe('2029-02-28T08:00:00.000Z');
    expect(plan({ firstIssuedAt: at('2028-02-29T08:00:00Z'), years: 2 }).paidUntilShown).toBe('2030-02-28');
    expect(plan({ firstIssuedAt: at('2028-02-29T08:00:00Z'), years: 4 }).paidUntilShown).toBe('2032-02-29');
  });
});

describe('planSubscription: crossing 2027-03-15', () => {
  it('gives 200 days to a certificate issued one second before the date and 100 days to its reissue', () => {
    const certs = plan({ firstIssuedAt: at('2027-03-14T23:59:59Z'), years: 1 }).certificates;
    expect(certs.map((c) => [iso(c.issuedAt), iso(c.notAfter), c.needsDcv])).toEqual([
      ['2027-03-14T23:59:59.000Z', '2027-09-30T23:59:58.000Z', false],
      ['2027-09-20T23:59:58.000Z', '2027-12-29T23:59:57.000Z', true],
      ['2027-12-19T23:59:57.000Z', '2028-03-14T23:59:59.000Z', false],
    ]);
  });

  it('gives 100 days to a certificate issued at 00:00:00Z on the date', () => {
    const [first] = plan({ firstIssuedAt: at('2027-03-15T00:00:00Z') }).certificates;
    expect(iso(first!.notAfter)).toBe('2027-06-22T23:59:59.000Z');
    expect(first!.expirationDate).toBe('2027-06-22');
  });

  it('gives the new maximum to a reissue that falls exactly on the date', () => {
    const boundary = Date.parse('2027-03-15T00:00:00Z');
    const firstIssuedAt = new Date(boundary - 190 * DAY + SECOND);
    const [first, second] = plan({ firstIssuedAt }).certificates;
    expect(lifetimeMs(first!)).toBe(200 * DAY - SECOND);
    expect(second!.issuedAt.getTime()).toBe(boundary);
    expect(lifetimeMs(second!)).toBe(100 * DAY - SECOND);
  });

  it('asks for fresh DCV at the first reissue after the date, as 200-day-old validation exceeds 100 days', () => {
    const certs = plan().certificates;
    const firstAfter = certs.findIndex((c) => c.issuedAt >= at('2027-03-15T00:00:00Z'));
    expect(iso(certs[firstAfter]!.issuedAt)).toBe('2027-04-17T11:59:58.000Z');
    expect(certs.slice(1, firstAfter).every((c) => !c.needsDcv)).toBe(true);
    expect(certs[firstAfter]!.needsDcv).toBe(true);
  });
});

describe('planSubscription: crossing 2029-03-15', () => {
  it('gives 47 days to the reissue of a 100-day certificate issued the day before', () => {
    const certs = plan({ firstIssuedAt: at('2029-03-14T12:00:00Z'), years: 1 }).certificates;
    expect(certs.slice(0, 3).map((c) => [iso(c.issuedAt), iso(c.notAfter), c.needsDcv])).toEqual([
      ['2029-03-14T12:00:00.000Z', '2029-06-22T11:59:59.000Z', false],
      ['2029-06-12T11:59:59.000Z', '2029-07-29T11:59:58.000Z', true],
      ['2029-07-19T11:59:58.000Z', '2029-09-04T11:59:57.000Z', true],
    ]);
  });

  it('asks for fresh DCV at every reissue once reuse drops to 10 days', () => {
    const certs = plan({ firstIssuedAt: at('2029-03-15T00:00:00Z'), years: 2 }).certificates;
    expect(certs.length).toBeGreaterThan(10);
    expect(certs.slice(1).every((c) => c.needsDcv)).toBe(true);
  });

  it('gives 47 days to a reissue that falls exactly on the date', () => {
    const boundary = Date.parse('2029-03-15T00:00:00Z');
    const [first, second] = plan({
      firstIssuedAt: new Date(boundary - 90 * DAY + SECOND),
      years: 1,
    }).certificates;
    expect(lifetimeMs(first!)).toBe(100 * DAY - SECOND);
    expect(second!.issuedAt.getTime()).toBe(boundary);
    expect(lifetimeMs(second!)).toBe(47 * DAY - SECOND);
    expect(second!.needsDcv).toBe(true);
  });
});

describe('planSubscription: validation reuse', () => {
  it('asks OV for fresh organization data only once it is older than 398 days', () => {
    const certs = plan({ productType: 'OV' }).certificates;
    expect(certs.slice(0, 5).map((c) => [iso(c.issuedAt), c.needsSii])).toEqual([
      ['2026-04-02T12:00:00.000Z', false],
      ['2026-10-09T11:59:59.000Z', false],
      ['2027-04-17T11:59:58.000Z', false],
      ['2027-07-16T11:59:57.000Z', true],
      ['2027-10-14T11:59:56.000Z', false],
    ]);
  });

  it('never asks DV for organization data', () => {
    expect(plan({ lastSiiAt: at('2000-01-01T00:00:00Z') }).certificates.some((c) => c.needsSii)).toBe(false);
  });

  it('can need fresh DCV while organization data is still reusable', () => {
    const [, second] = plan({
      productType: 'EV',
      firstIssuedAt: at('2026-01-10T00:00:00Z'),
      years: 2,
    }).certificates;
    expect(iso(second!.issuedAt)).toBe('2027-02-01T23:59:59.000Z');
    expect(second).toMatchObject({ needsDcv: true, needsSii: false });
  });

  it('reuses a validation exactly as old as the reuse period, and not one millisecond older', () => {
    const reissueAt = Date.parse('2026-10-09T11:59:59Z');
    const exactly = plan({ lastDcvAt: new Date(reissueAt - 200 * DAY) }).certificates[1]!;
    const older = plan({ lastDcvAt: new Date(reissueAt - 200 * DAY - 1) }).certificates[1]!;
    expect(exactly.issuedAt.getTime()).toBe(reissueAt);
    expect([exactly.needsDcv, older.needsDcv]).toEqual([false, true]);
  });

  it('starts from the last validation given, not from the first issue', () => {
    const [, second] = plan({ lastDcvAt: at('2026-01-01T00:00:00Z') }).certificates;
    expect(second!.needsDcv).toBe(true);
    expect(plan().certificates[1]!.needsDcv).toBe(false);
  });
});

describe('planSubscription: the reissue loop guard', () => {
  it('reissues a 47-day certificate at mid-life when asked 200 days before', () => {
    const certs = plan({ firstIssuedAt: at('2029-04-01T00:00:00Z'), years: 1, beforeDays: 200 }).certificates;
    expect(iso(certs[0]!.reissueAt)).toBe('2029-04-24T11:59:59.500Z');
    expect(certs[0]!.triggerClampedToMidLife).toBe(true);
    expect(certs.length).toBeLessThanOrEqual(Math.ceil(366 / 23) + 1);
  });

  it('refuses invalid terms before planning', () => {
    expect(() => plan({ years: 0 })).toThrow(expect.objectContaining({ code: 'DOMAIN_INVALID_YEARS' }));
    expect(() => plan({ beforeDays: 201 })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_BEFORE_DAYS' }),
    );
    expect(() => plan({ firstIssuedAt: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_INSTANT' }),
    );
  });
});

describe('planSubscription: invariants', () => {
  const anyInput = fc.record({
    productType: fc.constantFrom('DV' as const, 'OV' as const, 'EV' as const),
    firstIssuedAt: fc
      .integer({ min: Date.parse('2025-06-01T00:00:00Z'), max: Date.parse('2031-06-01T00:00:00Z') })
      .map((t) => new Date(t)),
    years: fc.integer({ min: 1, max: 5 }),
    beforeDays: fc.integer({ min: 1, max: 200 }),
    caHabit: fc.constantFrom('cap' as const, 'under-cap' as const),
    dcvAge: fc.integer({ min: 0, max: 500 * DAY }),
    siiAge: fc.integer({ min: 0, max: 900 * DAY }),
  });
  type AnyInput = typeof anyInput extends fc.Arbitrary<infer T> ? T : never;
  const toPlan = (i: AnyInput) =>
    planSubscription({
      ...i,
      lastDcvAt: new Date(i.firstIssuedAt.getTime() - i.dcvAge),
      lastSiiAt: new Date(i.firstIssuedAt.getTime() - i.siiAge),
    });

  it('covers the paid period without a gap: each certificate is issued before the previous one expires', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { certificates, paidUntil } = toPlan(input);
        expect(certificates[0]!.issuedAt.getTime()).toBe(input.firstIssuedAt.getTime());
        certificates.slice(1).forEach((c, i) => {
          const previous = certificates[i]!;
          expect(c.issuedAt.getTime()).toBe(previous.reissueAt!.getTime());
          expect(c.issuedAt.getTime()).toBeLessThan(previous.notAfter.getTime());
        });
        expect(certificates.at(-1)!.notAfter.getTime()).toBe(paidUntil.getTime());
      }),
    );
  });

  it('never exceeds the maximum validity of the issue day nor ends after paid until', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { certificates, paidUntil } = toPlan(input);
        for (const c of certificates) {
          expect(lifetimeMs(c)).toBeLessThanOrEqual(referenceLimits(c.issuedAt.getTime()).max * DAY - SECOND);
          expect(c.notAfter.getTime()).toBeLessThanOrEqual(paidUntil.getTime());
          expect(c.expirationDate).toBe(c.notAfter.toISOString().slice(0, 10));
        }
      }),
    );
  });

  it('uses as few certificates as the policy allows: each is as long as the CA gives and reissued no earlier than the policy says', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { certificates, paidUntil } = toPlan(input);
        const habitDays = (t: number) => referenceLimits(t).max - (input.caHabit === 'under-cap' ? 1 : 0);
        certificates.slice(0, -1).forEach((c) => {
          expect(c.notAfter.getTime()).toBeLessThan(paidUntil.getTime());
          expect(lifetimeMs(c)).toBe(habitDays(c.issuedAt.getTime()) * DAY - SECOND);
          const latest = Math.max(
            c.notAfter.getTime() - input.beforeDays * DAY,
            c.issuedAt.getTime() + lifetimeMs(c) / 2,
          );
          expect(c.reissueAt!.getTime()).toBeGreaterThanOrEqual(latest);
          expect(c.reissueAt!.getTime()).toBeLessThan(latest + 1);
        });
        expect(certificates.at(-1)!.reissueAt).toBeNull();
      }),
    );
  });

  it('always moves forward: each trigger is strictly after its issue, even 200 days before on 47-day certificates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2029-03-15T00:00:00Z'), max: Date.parse('2032-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 5 }),
        (start, years) => {
          const { certificates } = plan({ firstIssuedAt: new Date(start), years, beforeDays: 200 });
          for (const c of certificates.slice(0, -1)) {
            expect(c.reissueAt!.getTime()).toBeGreaterThan(c.issuedAt.getTime());
            expect(c.triggerClampedToMidLife).toBe(true);
          }
          expect(certificates.length).toBeLessThanOrEqual(Math.ceil((years * 366) / 23) + 1);
        },
      ),
    );
  });

  it('never reuses a validation older than the reuse period of the reissue day, and only asks when needed', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const { certificates } = toPlan(input);
        let dcvAt = input.firstIssuedAt.getTime() - input.dcvAge;
        let siiAt = input.firstIssuedAt.getTime() - input.siiAge;
        for (const c of certificates.slice(1)) {
          const t = c.issuedAt.getTime();
          const limits = referenceLimits(t);
          expect(c.needsDcv).toBe(t - dcvAt > limits.dcv * DAY);
          expect(c.needsSii).toBe(input.productType !== 'DV' && t - siiAt > limits.sii * DAY);
          if (c.needsDcv) dcvAt = t;
          if (c.needsSii) siiAt = t;
          expect(t - dcvAt).toBeLessThanOrEqual(limits.dcv * DAY);
        }
      }),
    );
  });
});
