import { ResponseFormatError } from './soap-reader.ts';

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a GlobalSign timestamp with whatever UTC offset the server used; no offset means UTC,
 * never local time.
 *
 * @example
 *   parseTimestamp('2016-10-06T14:53:23.000+09:00', 'StartDate').toISOString(); // '2016-10-06T05:53:23.000Z'
 */
export function parseTimestamp(text: string, path: string): Date {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) throw new ResponseFormatError(`${path} is not a timestamp: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone = 'Z'] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const date = new Date(utc - offsetMinutes(zone) * 60_000);
  if (
    Number.isNaN(date.getTime()) ||
    Number(mo) > 12 ||
    Number(d) > 31 ||
    Number(h) > 23 ||
    Number(mi) > 59
  ) {
    throw new ResponseFormatError(`${path} is not a timestamp: ${text}`);
  }
  return date;
}

function offsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

/** Optional variant: `undefined` stays `undefined`. */
export function optionalTimestamp(text: string | undefined, path: string): Date | undefined {
  return text === undefined ? undefined : parseTimestamp(text, path);
}

/**
 * The request date format GlobalSign documents (`YYYY-MM-DDTHH:MM:SS.000Z`).
 *
 * @example
 *   formatTimestamp(new Date('2026-04-02T12:00:00Z')); // '2026-04-02T12:00:00.000Z'
 */
export function formatTimestamp(d: Date): string {
  return d.toISOString();
}

/** `true`/`True`/`1` → true; anything else false. */
export function parseBoolean(text: string | undefined): boolean {
  return text !== undefined && /^(true|1)$/i.test(text.trim());
}

/**
 * PEM with LF line ends and a final newline; GlobalSign sends CRLF (written `&#xD;`).
 *
 * @example
 *   normalizePem('-----BEGIN CERTIFICATE-----\r\nMII…\r\n-----END CERTIFICATE-----'); // '-----BEGIN CERTIFICATE-----\nMII…\n-----END CERTIFICATE-----\n'
 */
export function normalizePem(text: string): string {
  let lf = text;
  if (lf.includes('\r')) {
    lf = lf.replaceAll('\r\n', '\n');
    if (lf.includes('\r')) lf = lf.replaceAll('\r', '\n');
  }
  lf = lf.trim();
  return lf === '' ? '' : `${lf}\n`;
}
