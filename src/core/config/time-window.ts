import type { OptionSpec } from './option-spec.ts';

/**
 * A daily window in UTC, e.g. `01:00-05:00`. It may pass midnight (`22:00-04:00`); the end is
 * excluded.
 */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
  readonly fromMinute: number;
  readonly toMinute: number;
}

/**
 * Whether an instant falls inside a daily UTC window.
 * @example isWithinWindow(window('22:00-04:00'), new Date('2026-04-02T23:30:00Z')) → true
 */
export function isWithinWindow(w: TimeWindow, instant: Date): boolean {
  const minute = instant.getUTCHours() * 60 + instant.getUTCMinutes();
  return w.fromMinute < w.toMinute
    ? minute >= w.fromMinute && minute < w.toMinute
    : minute >= w.fromMinute || minute < w.toMinute;
}

export function parseTimeWindow(raw: string): TimeWindow | undefined {
  const m = /^(\d{2}):(\d{2})\s*-\s*(\d{2}):(\d{2})$/.exec(raw);
  if (!m) return undefined;
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
  const fromMinute = h1 * 60 + m1;
  const toMinute = h2 * 60 + m2;
  if (fromMinute === toMinute) return undefined;
  return Object.freeze({ from: `${m[1]}:${m[2]}`, to: `${m[3]}:${m[4]}`, fromMinute, toMinute });
}

export function timeWindowOption(o: {
  readonly name: string;
  readonly description: string;
}): OptionSpec<TimeWindow | undefined> {
  return {
    name: o.name,
    description: o.description,
    allowed: 'HH:MM-HH:MM in UTC, e.g. 01:00-05:00',
    defaultValue: undefined,
    flag: false,
    secret: false,
    parse(raw) {
      const w = parseTimeWindow(raw);
      return w
        ? { ok: true, value: w }
        : { ok: false, problem: 'is not a time window: use HH:MM-HH:MM in UTC, e.g. 01:00-05:00' };
    },
    format: (v) => (v ? `${v.from}-${v.to}` : ''),
  };
}
