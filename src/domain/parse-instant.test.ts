import { describe, expect, it } from 'vitest';
import { assertInstant, parseInstant } from './parse-instant.ts';

describe('parseInstant', () => {
  it('reads an ISO 8601 instant in UTC', () => {
    expect(parseInstant('2026-04-02T12:00:00Z', 'issued').toISOString()).toBe('2026-04-02T12:00:00.000Z');
  });

  it('applies an explicit offset', () => {
    expect(parseInstant('2026-04-02T14:00:00+02:00', 'issued').toISOString()).toBe(
      '2026-04-02T12:00:00.000Z',
    );
  });

  it('reads a bare date as midnight UTC', () => {
    expect(parseInstant('2026-04-02', 'issued').toISOString()).toBe('2026-04-02T00:00:00.000Z');
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-13-01',
    '2026-04-02T24:00:00Z',
    '2026-04-02T12:00:00',
    'tomorrow',
    '',
  ])('refuses "%s" naming the field and the expected format', (text) => {
    expect(() => parseInstant(text, 'Issued')).toThrow(
      expect.objectContaining({
        code: 'DOMAIN_INVALID_INSTANT',
        message: expect.stringMatching(/^Issued .*ISO 8601/),
      }),
    );
  });

  it('refuses an Invalid Date handed over by a caller', () => {
    expect(() => assertInstant(new Date('nope'), 'First issue')).toThrow(
      expect.objectContaining({ code: 'DOMAIN_INVALID_INSTANT' }),
    );
  });
});
