import { describe, expect, it } from 'vitest';
import { reuseEndsAt, validationStartAt } from './validation-start.ts';

const DAY_MS = 86_400_000;
const d = (iso: string) => new Date(iso);

describe('when a validation stops being reusable', () => {
  it('is the reuse period of the day after the validation, 200 days in 2026', () => {
    expect(reuseEndsAt(d('2026-04-02T12:00:00Z'), d('2026-05-01T00:00:00Z')).toISOString()).toBe(
      new Date(d('2026-04-02T12:00:00Z').getTime() + 200 * DAY_MS + 1).toISOString(),
    );
  });

  it('is the first instant of a shorter period when that period has already run out then', () => {
    // 100 days of reuse from 2027-03-15: a validation of 2026-10-01 is too old from that instant.
    expect(reuseEndsAt(d('2026-10-01T00:00:00Z'), d('2027-01-01T00:00:00Z')).toISOString()).toBe(
      '2027-03-15T00:00:00.000Z',
    );
  });

  it('is the asked instant itself when the validation is already too old', () => {
    expect(reuseEndsAt(d('2029-04-01T00:00:00Z'), d('2029-04-20T00:00:00Z')).toISOString()).toBe(
      '2029-04-20T00:00:00.000Z',
    );
  });
});

describe('the early start of a reissue that needs fresh validation', () => {
  const cert = {
    notBefore: d('2027-04-03T12:00:00Z'),
    notAfter: d('2027-07-12T11:59:59Z'),
    reissueAt: d('2027-07-02T11:59:59Z'),
    dcvNeededFrom: d('2027-06-18T11:59:59Z'),
  };

  it('is dcv_needed_from when the validation is already too old and the certificate past mid-life', () => {
    expect(validationStartAt({ ...cert, oldestValidation: d('2027-01-01T00:00:00Z') })).toEqual(
      cert.dcvNeededFrom,
    );
  });

  it('waits until the validation stops being reusable, rather than reissue on it days early', () => {
    const start = validationStartAt({ ...cert, oldestValidation: d('2027-03-20T00:00:00Z') });
    expect(start?.toISOString()).toBe(
      new Date(d('2027-03-20T00:00:00Z').getTime() + 100 * DAY_MS + 1).toISOString(),
    );
  });

  it('is left to the trigger when the validation stays reusable until then', () => {
    expect(validationStartAt({ ...cert, oldestValidation: d('2027-04-03T12:00:00Z') })).toBeNull();
  });

  it('never starts before mid-life, whatever the lead time', () => {
    const short = {
      notBefore: d('2029-04-01T00:00:00Z'),
      notAfter: d('2029-05-17T23:59:59Z'),
      reissueAt: d('2029-05-07T23:59:59Z'),
      dcvNeededFrom: d('2029-04-05T00:00:00Z'),
      oldestValidation: d('2029-04-01T00:00:00Z'),
    };
    const midLife =
      short.notBefore.getTime() + Math.ceil((short.notAfter.getTime() - short.notBefore.getTime()) / 2);
    expect(validationStartAt(short)?.getTime()).toBe(midLife);
  });
});
