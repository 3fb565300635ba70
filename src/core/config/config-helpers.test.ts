import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './closest-names.ts';
import { envVariablesFor, upperSnake } from './option-source.ts';
import { isWithinWindow, parseTimeWindow } from './time-window.ts';
import { maskUrlPassword } from './mask-url-password.ts';

describe('configuration helpers', () => {
  it('counts single-letter edits between names', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only names close to a typo, best first', () => {
    expect(closestNames('ListenPrt', ['ListenPort', 'ListenAddress', 'LogDir'])).toEqual(['ListenPort']);
    expect(closestNames('Colour', ['ListenPort', 'LogDir'])).toEqual([]);
  });

  it('derives the environment variable of every option from its name', () => {
    expect(upperSnake('SSLSubscriptionBefore')).toBe('SSL_SUBSCRIPTION_BEFORE');
    expect(upperSnake('SmtpUrl')).toBe('SMTP_URL');
    expect(envVariablesFor('logDir')).toEqual(['CERTBILL_LOG_DIR']);
    expect(envVariablesFor('databaseUrl')).toEqual(['CERTBILL_DATABASE_URL', 'DATABASE_URL']);
  });

  it('tells whether an instant is inside a daily window, also past midnight', () => {
    const night = parseTimeWindow('22:00-04:00')!;
    expect(isWithinWindow(night, new Date('2026-04-02T23:30:00Z'))).toBe(true);
    expect(isWithinWindow(night, new Date('2026-04-02T03:59:00Z'))).toBe(true);
    expect(isWithinWindow(night, new Date('2026-04-02T04:00:00Z'))).toBe(false);
    const day = parseTimeWindow('01:00-05:00')!;
    expect(isWithinWindow(day, new Date('2026-04-02T00:59:00Z'))).toBe(false);
    expect(isWithinWindow(day, new Date('2026-04-02T01:00:00Z'))).toBe(true);
    expect(parseTimeWindow('05:00-05:00')).toBeUndefined();
  });

  it('masks only the password of a URL with credentials, even one holding @', () => {
    expect(maskUrlPassword('smtp://u:p@ss@host:587/x')).toBe('smtp://u:***@host:587/x');
    expect(maskUrlPassword('https://host/a:b@c')).toBe('https://host/a:b@c');
  });
});
