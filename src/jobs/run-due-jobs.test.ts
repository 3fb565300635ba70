import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.ts';
import type { TestContext } from '../../test/support/app.ts';
import { JobHandlers, every, slotStart, type PeriodicPayload } from './job-handlers.ts';
import { claimDueJobs, enqueueJob, findJobByKey, listJobs } from './job-queue.ts';
import { listTasks } from './open-task.ts';
import { runDueJobs } from './run-due-jobs.ts';
import { createJobsTestContext } from './jobs-test-context.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(testDialects())('runDueJobs on %s', (dialect) => {
  let ctx: TestContext;
  let runs: string[];
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
    runs = [];
  });
  afterEach(async () => {
    await ctx.drop();
  });
  const now = () => ctx.clock.now();
  const enqueue = (kind: string, key: string, runAt = now(), maxAttempts?: number) =>
    enqueueJob(ctx.db, {
      kind,
      key,
      payload: { key },
      runAt,
      now: now(),
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });
  const recording = () =>
    new JobHandlers().register<{ key: string }>('reissue', async (job) => {
      runs.push(job.payload.key);
    });

  it('runs every due job once with its handler and reports each outcome', async () => {
    await enqueue('reissue', 'reissue:1:2');
    await enqueue('reissue', 'reissue:2:2');
    await enqueue('reissue', 'reissue:3:2', new Date(now().getTime() + HOUR));
    const result = await runDueJobs(ctx, recording(), { now: now(), owner: 'w1' });
    expect(result.ran.map((r) => [r.key, r.outcome])).toEqual([
      ['reissue:1:2', 'done'],
      ['reissue:2:2', 'done'],
    ]);
    expect(runs).toEqual(['reissue:1:2', 'reissue:2:2']);
    expect((await runDueJobs(ctx, recording(), { now: now(), owner: 'w1' })).ran).toEqual([]);
    ctx.clock.advanceMs(HOUR);
    expect((await runDueJobs(ctx, recording(), { now: now() })).ran.map((r) => r.key)).toEqual([
      'reissue:3:2',
    ]);
  });

  it('lists the due jobs on a dry run without claiming or running them', async () => {
    const { job } = await enqueue('reissue', 'reissue:1:2');
    const result = await runDueJobs(ctx, recording(), { now: now(), dryRun: true });
    expect(result).toEqual({
      ran: [{ id: job.id, kind: 'reissue', key: 'reissue:1:2', outcome: 'skipped' }],
    });
    expect(runs).toEqual([]);
    expect(await findJobByKey(ctx.db, 'reissue:1:2')).toEqual(job);
  });

  it('leaves a job of an unknown kind ready and reports it skipped', async () => {
    await enqueue('future-kind', 'future-kind:1');
    const { ran } = await runDueJobs(ctx, recording(), { now: now() });
    expect(ran).toEqual([
      expect.objectContaining({
        key: 'future-kind:1',
        outcome: 'skipped',
        error: expect.stringContaining('JOBS_NO_HANDLER'),
      }),
    ]);
    expect(await findJobByKey(ctx.db, 'future-kind:1')).toMatchObject({ state: 'ready', attempts: 0 });
  });

  it('retries a throwing handler with backoff, then marks it dead with a task for its Department', async () => {
    const handlers = new JobHandlers().register(
      'place-order',
      async () => {
        throw new Error('GlobalSign answered -9999');
      },
      { departmentOf: async () => 3 },
    );
    await enqueue('place-order', 'place-order:9', now(), 3);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { ran } = await runDueJobs(ctx, handlers, { now: now(), random: () => 0 });
      outcomes.push(...ran.map((r) => `${r.outcome}:${r.error}`));
      expect(await runDueJobs(ctx, handlers, { now: now() })).toEqual({ ran: [] });
      ctx.clock.advanceMs(10 * MINUTE);
    }
    expect(outcomes).toEqual([
      'retry:GlobalSign answered -9999',
      'retry:GlobalSign answered -9999',
      'dead:GlobalSign answered -9999',
    ]);
    const tasks = await listTasks(ctx.db, { state: 'open' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      departmentId: 3,
      kind: 'job-dead',
      title: expect.stringContaining('place-order:9'),
    });
  });

  it('runs a job that a handler enqueues for now in the same run', async () => {
    const handlers = recording().register('scan-due-reissues', async (_job, c) => {
      await enqueueJob(c.db, {
        kind: 'reissue',
        key: 'reissue:5:2',
        payload: { key: 'reissue:5:2' },
        runAt: now(),
        now: now(),
      });
    });
    await enqueue('scan-due-reissues', 'scan:1');
    const { ran } = await runDueJobs(ctx, handlers, { now: now() });
    expect(ran.map((r) => `${r.key}:${r.outcome}`)).toEqual(['scan:1:done', 'reissue:5:2:done']);
  });

  it('puts a job back without a failure when the handler asks to run again later', async () => {
    let polls = 0;
    const handlers = new JobHandlers().register('sync-order', async () => {
      polls += 1;
      return polls < 3 ? { runAgainAt: new Date(now().getTime() + 15 * MINUTE) } : undefined;
    });
    await enqueue('sync-order', 'sync-order:1', now(), 1);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(...(await runDueJobs(ctx, handlers, { now: now() })).ran.map((r) => r.outcome));
      ctx.clock.advanceMs(15 * MINUTE);
    }
    expect(outcomes).toEqual(['retry', 'retry', 'done']);
  });

  it("takes over a crashed worker's job after its lease runs out, with attempts > 1", async () => {
    await enqueue('reissue', 'reissue:1:2');
    await claimDueJobs(ctx.db, { now: now(), owner: 'crashed', limit: 1, leaseMs: 5 * MINUTE });
    const attempts: number[] = [];
    const handlers = new JobHandlers().register('reissue', async (job) => {
      attempts.push(job.attempts);
    });
    expect((await runDueJobs(ctx, handlers, { now: now(), leaseMs: 5 * MINUTE })).ran).toEqual([]);
    ctx.clock.advanceMs(5 * MINUTE + 1);
    expect((await runDueJobs(ctx, handlers, { now: now() })).ran.map((r) => r.outcome)).toEqual(['done']);
    expect(attempts).toEqual([2]);
  });

  it('marks dead, without running it again, a job whose every attempt crashed', async () => {
    await enqueue('reissue', 'reissue:1:2', now(), 2);
    for (let i = 0; i < 2; i++) {
      await claimDueJobs(ctx.db, { now: now(), owner: `crash-${i}`, limit: 1, leaseMs: MINUTE });
      ctx.clock.advanceMs(MINUTE + 1);
    }
    const { ran } = await runDueJobs(ctx, recording(), { now: now() });
    expect(ran).toEqual([
      expect.objectContaining({ outcome: 'dead', error: expect.stringContaining('lease ran out') }),
    ]);
    expect(runs).toEqual([]);
    expect(await listTasks(ctx.db)).toHaveLength(1);
  });

  it('enqueues one periodic job per slot, shared by every instance', async () => {
    let refreshes: string[] = [];
    const handlers = () =>
      new JobHandlers()
        .register<PeriodicPayload>('balance-refresh', async (job) => {
          refreshes.push(job.payload.slotStart);
        })
        .every('balance-refresh', 6 * HOUR);
    ctx.clock.set('2026-04-02T13:05:00Z');
    await Promise.all([
      runDueJobs(ctx, handlers(), { now: now() }),
      runDueJobs(ctx, handlers(), { now: now() }),
    ]);
    ctx.clock.advanceMs(4 * HOUR);
    await runDueJobs(ctx, handlers(), { now: now() });
    expect(refreshes).toEqual(['2026-04-02T12:00:00.000Z']);
    refreshes = [];
    ctx.clock.advanceMs(2 * HOUR);
    await runDueJobs(ctx, handlers(), { now: now() });
    expect(refreshes).toEqual(['2026-04-02T18:00:00.000Z']);
    expect((await listJobs(ctx.db, { kind: 'balance-refresh' })).map((j) => j.key)).toEqual([
      'balance-refresh:2026-04-02T12:00:00.000Z',
      'balance-refresh:2026-04-02T18:00:00.000Z',
    ]);
  });

  it('stops after limit jobs', async () => {
    for (let i = 0; i < 5; i++) await enqueue('reissue', `reissue:${i}:2`);
    expect((await runDueJobs(ctx, recording(), { now: now(), limit: 3, concurrency: 2 })).ran).toHaveLength(
      3,
    );
    expect(await listJobs(ctx.db, { state: 'ready' })).toHaveLength(2);
  });
});

describe('periodic slots', () => {
  it('aligns slots to the epoch so every instance computes the same key', () => {
    expect(slotStart(new Date('2026-04-02T13:05:00Z'), 6 * HOUR).toISOString()).toBe(
      '2026-04-02T12:00:00.000Z',
    );
    expect(slotStart(new Date('2026-04-02T13:07:59Z'), 5 * MINUTE).toISOString()).toBe(
      '2026-04-02T13:05:00.000Z',
    );
  });

  it('refuses an interval under a second', () => {
    expect(() => every('x', 10)).toThrow(/≥ 1000/);
  });
});
