/**
 * GlobalSign's timestamp form: ISO 8601 with milliseconds and a numeric offset.
 *
 * @example formatTimestamp(new Date('2026-04-02T12:00:00Z'), '+09:00') // '2026-04-02T21:00:00.000+09:00'
 */
export function formatTimestamp(d: Date, utcOffset = '+00:00'): string {
  const minutes = offsetMinutes(utcOffset);
  if (minutes === undefined) return d.toISOString().slice(0, 23) + '+00:00';
  const shifted = minutes === 0 ? d : new Date(d.getTime() + minutes * 60_000);
  return shifted.toISOString().slice(0, 23) + utcOffset;
}

/** `formatTimestamp` for a stored ISO 8601 UTC string (`…Z`), without a Date when the offset is zero. */
export function formatIsoTimestamp(iso: string, utcOffset = '+00:00'): string {
  if (offsetMinutes(utcOffset) === 0 && iso.length === 24 && iso.endsWith('Z'))
    return iso.slice(0, 23) + utcOffset;
  return formatTimestamp(new Date(iso), utcOffset);
}

const offsets = new Map<string, number | undefined>();

function offsetMinutes(utcOffset: string): number | undefined {
  if (!offsets.has(utcOffset)) {
    const m = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
    offsets.set(utcOffset, m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined);
  }
  return offsets.get(utcOffset);
}

/** Parses an offset-aware instant or a plain date (taken as UTC); undefined when not a date. */
export function parseInstant(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t))
    return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : zoned ? t : `${t}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
