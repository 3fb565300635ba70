import { describe, expect, it } from 'vitest';
import { parseCaHabit } from './ca-habit.ts';
import { needsSubjectIdentity, parseProductType } from './product-type.ts';
import { parseBeforeDays, parseYears } from './subscription-terms.ts';

describe('subscription terms', () => {
  it('accepts one to five whole years', () => {
    expect([1, 2, 3, 4, 5].map((n) => parseYears(String(n)))).toEqual([1, 2, 3, 4, 5]);
  });

  it.each(['0', '6', '2.5', '-1', 'five', ''])(
    'refuses "%s" years, quoting it and the allowed range',
    (text) => {
      expect(() => parseYears(text)).toThrow(
        expect.objectContaining({
          code: 'DOMAIN_INVALID_YEARS',
          message: expect.stringContaining('from 1 to 5'),
        }),
      );
      expect(() => parseYears(text)).toThrow(JSON.stringify(text));
    },
  );

  it('accepts 1 to 200 days before expiration', () => {
    expect(parseBeforeDays('1')).toBe(1);
    expect(parseBeforeDays('200')).toBe(200);
  });

  it.each(['0', '201', '300', '10.5', 'ten'])('refuses %s days before expiration', (text) => {
    expect(() => parseBeforeDays(text)).toThrow(
      expect.objectContaining({
        code: 'DOMAIN_INVALID_BEFORE_DAYS',
        message: expect.stringContaining('from 1 to 200'),
      }),
    );
  });

  it('reads product types case-insensitively and refuses unknown ones with the allowed list', () => {
    expect(parseProductType('ev')).toBe('EV');
    expect(() => parseProductType('XV')).toThrow(/allowed: DV, OV, EV/);
  });

  it('asks organization validation of OV and EV only', () => {
    expect(['DV', 'OV', 'EV'].map((t) => needsSubjectIdentity(parseProductType(t)))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('knows the cap and under-cap habits and refuses others', () => {
    expect(parseCaHabit('under-cap')).toBe('under-cap');
    expect(() => parseCaHabit('globalsign')).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_CA_HABIT' }),
    );
  });
});
