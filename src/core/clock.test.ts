import { describe, expect, it } from 'vitest';
import { OffsetClock, TestClock, toInstant } from './clock.ts';

describe('clocks', () => {
  it('a test clock stands still until moved', () => {
    const c = new TestClock('2026-04-02T12:00:00Z');
    expect(c.now().toISOString()).toBe('2026-04-02T12:00:00.000Z');
    c.advanceDays(200);
    expect(c.now().toISOString()).toBe('2026-10-19T12:00:00.000Z');
    c.set('2031-04-02T00:00:00Z');
    expect(c.now().toISOString()).toBe('2031-04-02T00:00:00.000Z');
  });

  it('an offset clock jumps to a set instant and keeps ticking with its base', () => {
    const base = new TestClock('2026-01-01T00:00:00Z');
    const c = new OffsetClock(base);
    c.set('2027-03-15T00:00:00Z');
    base.advanceMs(1500);
    expect(c.now().toISOString()).toBe('2027-03-15T00:00:01.500Z');
  });

  it('never hands out its internal date for mutation', () => {
    const c = new TestClock('2026-04-02T12:00:00Z');
    c.now().setUTCFullYear(1999);
    expect(c.now().getUTCFullYear()).toBe(2026);
  });

  it('refuses text that is not an instant', () => {
    expect(() => toInstant('yesterday')).toThrowError(/not an instant/);
  });
});
