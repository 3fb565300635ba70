import { describe, expect, it } from 'vitest';
import { certificateEnd, maxValidityDays } from './certificate-validity.ts';

const at = (iso: string): Date => new Date(iso);

describe('certificate validity', () => {
  it('caps a certificate issued on 2026-04-02 at 200 days, ending 2026-10-19 (the seed example)', () => {
    const end = certificateEnd(at('2026-04-02T10:00:00Z'), 'cap', 12);
    expect(end.toISOString()).toBe('2026-10-19T09:59:59.000Z');
  });

  it('follows the 2026 schedule: 398, 200, 100 and 47 days', () => {
    expect(maxValidityDays(at('2026-03-14T23:59:59Z'), 'cap')).toBe(398);
    expect(maxValidityDays(at('2026-03-15T00:00:00Z'), 'cap')).toBe(200);
    expect(maxValidityDays(at('2027-03-15T00:00:00Z'), 'cap')).toBe(100);
    expect(maxValidityDays(at('2029-03-15T00:00:00Z'), 'cap')).toBe(47);
  });

  it('issues one day under the cap in globalsign mode, switching one day early (199 days from 2026-03-14)', () => {
    expect(maxValidityDays(at('2026-03-13T12:00:00Z'), 'globalsign')).toBe(397);
    expect(maxValidityDays(at('2026-03-14T00:00:00Z'), 'globalsign')).toBe(199);
    const end = certificateEnd(at('2026-04-02T10:00:00Z'), 'globalsign', 12);
    expect(end.toISOString()).toBe('2026-10-18T09:59:59.000Z');
  });

  it('never goes past the ordered months or a custom NotAfter', () => {
    expect(certificateEnd(at('2026-04-02T10:00:00Z'), 'cap', 1).toISOString()).toBe(
      '2026-05-02T09:59:59.000Z',
    );
    const custom = at('2026-06-01T00:00:00Z');
    expect(certificateEnd(at('2026-04-02T10:00:00Z'), 'cap', 12, custom)).toEqual(custom);
  });
});
