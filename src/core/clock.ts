/**
 * The one source of time. Domain code, jobs and the simulator take a Clock instead of reading the
 * system time, so tests and demos can travel in time.
 *
 * @example
 *   const clock = new TestClock('2026-04-02T12:00:00Z');
 *   clock.advanceDays(190);
 *   clock.now().toISOString(); // '2026-10-09T12:00:00.000Z'
 */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date(Date.now());
  }
}

const DAY_MS = 86_400_000;

export class TestClock implements Clock {
  private current: number;

  constructor(start: Date | string = '2026-04-02T12:00:00Z') {
    this.current = toInstant(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(instant: Date | string): void {
    this.current = toInstant(instant).getTime();
  }

  advanceMs(ms: number): void {
    this.current += ms;
  }

  advanceDays(days: number): void {
    this.current += days * DAY_MS;
  }
}

/**
 * A clock whose instant is the system time shifted by an offset that can be moved at run time:
 * what the simulator and the demo server use so `POST /_control/clock` moves time forward while
 * it keeps ticking.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: Clock = new SystemClock()) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  set(instant: Date | string): void {
    this.offsetMs = toInstant(instant).getTime() - this.base.now().getTime();
  }
}

export function toInstant(value: Date | string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(value.getTime());
  if (Number.isNaN(d.getTime())) throw new RangeError(`not an instant: ${String(value)}`);
  return d;
}
