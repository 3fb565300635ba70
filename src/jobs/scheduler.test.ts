import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.ts';
import type { TestContext } from '../../test/support/app.ts';
import { JobHandlers } from './job-handlers.ts';
import { enqueueJob, findJobByKey } from './job-queue.ts';
import { Scheduler, type SchedulerTimer } from './scheduler.ts';
import { createJobsTestContext } from './jobs-test-context.ts';

/** A timer that fires only when the test says so. */
class ManualTimer implements SchedulerTimer {
  pending: Array<{ fn: () => void; ms: number }> = [];
  setTimeout(fn: () => void, ms: number): unknown {
    const entry = { fn, ms };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }
  fire(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no timer pending');
    next.fn();
  }
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe.each(testDialects())('Scheduler on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });
  const enqueue = (key: string) =>
    enqueueJob(ctx.db, { kind: 'work', key, payload: {}, runAt: ctx.clock.now(), now: ctx.clock.now() });

  it('runs due jobs on each tick and waits the interval between ticks', async () => {
    const ran: string[] = [];
    const timer = new ManualTimer();
    const handlers = new JobHandlers().register('work', async (job) => {
      ran.push(job.key);
    });
    const scheduler = new Scheduler(ctx, { handlers, timer, intervalMs: 5_000 });
    await enqueue('work:1');
    scheduler.start();
    expect(timer.pending.map((p) => p.ms)).toEqual([0]);
    timer.fire();
    await settle();
    expect(ran).toEqual(['work:1']);
    expect(timer.pending.map((p) => p.ms)).toEqual([5_000]);
    await enqueue('work:2');
    timer.fire();
    await settle();
    expect(ran).toEqual(['work:1', 'work:2']);
    await scheduler.stop();
    expect(timer.pending).toEqual([]);
  });

  it('never runs two ticks at once', async () => {
    const gate = deferred();
    let starts = 0;
    const handlers = new JobHandlers().register('work', async () => {
      starts += 1;
      await gate.promise;
    });
    const scheduler = new Scheduler(ctx, { handlers, timer: new ManualTimer() });
    await enqueue('work:1');
    const first = scheduler.tick();
    const second = scheduler.tick();
    expect(second).toBe(first);
    gate.resolve();
    expect((await first).ran.map((r) => r.outcome)).toEqual(['done']);
    expect(starts).toBe(1);
  });

  it('stops cleanly: waits for the running handler and schedules no further tick', async () => {
    const gate = deferred();
    let finished = false;
    const timer = new ManualTimer();
    const handlers = new JobHandlers().register('work', async () => {
      await gate.promise;
      finished = true;
    });
    const scheduler = new Scheduler(ctx, { handlers, timer });
    await enqueue('work:1');
    scheduler.start();
    timer.fire();
    await settle();
    const stopped = scheduler.stop();
    let stopDone = false;
    void stopped.then(() => (stopDone = true));
    await settle();
    expect(stopDone).toBe(false);
    gate.resolve();
    await stopped;
    expect(finished).toBe(true);
    expect(await findJobByKey(ctx.db, 'work:1')).toMatchObject({ state: 'done' });
    await settle();
    expect(timer.pending).toEqual([]);
  });

  it('pauses in maintenance mode without losing work', async () => {
    let paused = true;
    const handlers = new JobHandlers().register('work', async () => undefined);
    const scheduler = new Scheduler(ctx, { handlers, timer: new ManualTimer(), isPaused: () => paused });
    await enqueue('work:1');
    expect(await scheduler.tick()).toEqual({ paused: true, ran: [] });
    expect(await findJobByKey(ctx.db, 'work:1')).toMatchObject({ state: 'ready', attempts: 0 });
    paused = false;
    expect((await scheduler.tick()).ran.map((r) => r.outcome)).toEqual(['done']);
  });

  it('reads maintenance mode from the configuration by default', async () => {
    const maintenance = { ...ctx, config: { ...ctx.config, maintenanceMode: true } };
    const scheduler = new Scheduler(maintenance, { handlers: new JobHandlers(), timer: new ManualTimer() });
    expect((await scheduler.tick()).paused).toBe(true);
  });

  it('keeps ticking after a tick fails', async () => {
    const timer = new ManualTimer();
    const broken = { ...ctx, db: { ...ctx.db, kysely: undefined as never } };
    const scheduler = new Scheduler(broken, { handlers: new JobHandlers(), timer, intervalMs: 1_000 });
    scheduler.start();
    timer.fire();
    await settle();
    expect(timer.pending.map((p) => p.ms)).toEqual([1_000]);
    await scheduler.stop();
  });
});
