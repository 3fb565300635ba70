import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { testDialects } from '../../test/support/databases.ts';
import type { TestContext } from '../../test/support/app.ts';
import {
  backoffDelayMs,
  claimDueJobs,
  completeJob,
  enqueueJob,
  failJob,
  findJob,
  listDueJobs,
  listJobs,
  rescheduleJob,
  retryJob,
} from './job-queue.ts';
import { listTasks } from './open-task.ts';
import { createJobsTestContext } from './jobs-test-context.ts';
import { jobsKysely } from './jobs-kysely.ts';

const MINUTE = 60_000;

/** The JOBS_ code of an error, also when the catalogue maps it to a core code of the same kind. */
const hasCode = (code: string) => (e: unknown) =>
  e instanceof AppError && (e.code === code || e.details['code'] === code);
const LEASE = 5 * MINUTE;

describe.each(testDialects())('job queue on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });
  const now = () => ctx.clock.now();
  const enqueue = (key: string, runAt = now(), maxAttempts?: number) =>
    enqueueJob(ctx.db, {
      kind: key.split(':')[0] as string,
      key,
      payload: { key, nested: { n: 1 } },
      runAt,
      now: now(),
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });
  const claim = (owner = 'w1', limit = 10) =>
    claimDueJobs(ctx.db, { now: now(), owner, limit, leaseMs: LEASE });

  it('enqueues a ready job and treats the same key again as a no-op that returns the stored job', async () => {
    const first = await enqueue('reissue:12:3');
    expect(first.created).toBe(true);
    expect(first.job).toMatchObject({
      kind: 'reissue',
      key: 'reissue:12:3',
      state: 'ready',
      attempts: 0,
      maxAttempts: 8,
      payload: { key: 'reissue:12:3', nested: { n: 1 } },
      runAt: '2026-04-02T12:00:00.000Z',
      createdAt: '2026-04-02T12:00:00.000Z',
    });
    const again = await enqueueJob(ctx.db, {
      kind: 'reissue',
      key: 'reissue:12:3',
      payload: { other: true },
      runAt: new Date('2027-01-01T00:00:00Z'),
      now: now(),
    });
    expect(again).toEqual({ job: first.job, created: false });
    expect(await listJobs(ctx.db)).toHaveLength(1);
  });

  it("enqueues inside the caller's transaction: a rollback leaves no job, a commit keeps it", async () => {
    await expect(
      ctx.db.kysely.transaction().execute(async (trx) => {
        await enqueueJob(
          ctx.db,
          { kind: 'place-order', key: 'place-order:1', payload: {}, runAt: now(), now: now() },
          trx,
        );
        throw new Error('the intent could not be written');
      }),
    ).rejects.toThrow('the intent could not be written');
    expect(await listJobs(ctx.db)).toEqual([]);
    await ctx.db.kysely.transaction().execute(async (trx) => {
      await enqueueJob(
        ctx.db,
        { kind: 'place-order', key: 'place-order:1', payload: {}, runAt: now(), now: now() },
        trx,
      );
    });
    expect((await listJobs(ctx.db)).map((j) => j.key)).toEqual(['place-order:1']);
  });

  it('claims only due jobs, oldest first, setting the lease and counting the attempt', async () => {
    await enqueue('a:2', new Date(now().getTime() - MINUTE));
    await enqueue('a:1', new Date(now().getTime() - 2 * MINUTE));
    await enqueue('a:later', new Date(now().getTime() + MINUTE));
    const claimed = await claim('w1');
    expect(claimed.map((j) => j.key)).toEqual(['a:1', 'a:2']);
    expect(claimed[0]).toMatchObject({
      state: 'running',
      attempts: 1,
      leaseOwner: 'w1',
      leaseUntil: '2026-04-02T12:05:00.000Z',
    });
    expect(await claim('w2')).toEqual([]);
    ctx.clock.advanceMs(MINUTE);
    expect((await claim('w2')).map((j) => j.key)).toEqual(['a:later']);
  });

  it('claims at most limit jobs and only the kinds asked for', async () => {
    for (const key of ['a:1', 'a:2', 'a:3', 'b:1']) await enqueue(key);
    expect(
      await claimDueJobs(ctx.db, { now: now(), owner: 'w', limit: 2, leaseMs: LEASE, kinds: ['a'] }),
    ).toHaveLength(2);
    const rest = await claimDueJobs(ctx.db, {
      now: now(),
      owner: 'w',
      limit: 10,
      leaseMs: LEASE,
      kinds: ['b'],
    });
    expect(rest.map((j) => j.key)).toEqual(['b:1']);
    expect(
      await claimDueJobs(ctx.db, { now: now(), owner: 'w', limit: 10, leaseMs: LEASE, kinds: [] }),
    ).toEqual([]);
  });

  it('makes a job claimable again when its lease runs out, and fences the first worker out', async () => {
    await enqueue('reissue:1:2');
    const [stale] = await claim('crashed');
    ctx.clock.advanceMs(LEASE - 1);
    expect(await claim('w2')).toEqual([]);
    ctx.clock.advanceMs(2);
    const [taken] = await claim('w2');
    expect(taken).toMatchObject({ key: 'reissue:1:2', attempts: 2, leaseOwner: 'w2' });
    expect(await completeJob(ctx.db, stale!, { now: now() })).toBe(false);
    expect(await failJob(ctx.db, stale!, new Error('late'), { now: now() })).toBe('lease-lost');
    expect(await rescheduleJob(ctx.db, stale!, { now: now(), runAt: now() })).toBe(false);
    expect(await completeJob(ctx.db, taken!, { now: now() })).toBe(true);
    expect(await findJob(ctx.db, taken!.id)).toMatchObject({
      state: 'done',
      doneAt: '2026-04-02T12:05:00.001Z',
      leaseOwner: null,
      leaseUntil: null,
    });
  });

  it('fences a worker that claims the same job again under the same name', async () => {
    await enqueue('a:1');
    const [first] = await claim('same');
    ctx.clock.advanceMs(LEASE + 1);
    const [second] = await claim('same');
    expect(await completeJob(ctx.db, first!, { now: now() })).toBe(false);
    expect(await completeJob(ctx.db, second!, { now: now() })).toBe(true);
  });

  it('retries a failed job with exponential backoff, then marks it dead and opens one task', async () => {
    const { job } = await enqueue('reissue:7:2', now(), 3);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const [claimed] = await claim();
      expect(claimed!.attempts).toBe(attempt);
      expect(
        await failJob(ctx.db, claimed!, new Error(`CA timeout ${attempt}`), {
          now: now(),
          random: () => 0.5,
        }),
      ).toBe('retry');
      const stored = await findJob(ctx.db, job.id);
      expect(stored).toMatchObject({ state: 'ready', lastError: `CA timeout ${attempt}`, leaseOwner: null });
      const delay = new Date(stored!.runAt).getTime() - now().getTime();
      delays.push(delay);
      expect(await claim()).toEqual([]);
      ctx.clock.advanceMs(delay);
    }
    expect(delays).toEqual([63_000, 126_000]);
    const [last] = await claim();
    expect(await failJob(ctx.db, last!, new Error('CA timeout 3'), { now: now(), departmentId: null })).toBe(
      'dead',
    );
    expect(await findJob(ctx.db, job.id)).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastError: 'CA timeout 3',
    });
    ctx.clock.advanceDays(1);
    expect(await claim()).toEqual([]);
    const tasks = await listTasks(ctx.db);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: 'job-dead',
      state: 'open',
      related: `job:${job.id}`,
      dedupeKey: `job-dead:${job.id}`,
      departmentId: null,
    });
    expect(tasks[0]!.body).toContain('reissue:7:2');
    expect(tasks[0]!.body).toContain('CA timeout 3');
  });

  it('moves a dead job back to ready with fresh attempts, and refuses other states', async () => {
    const { job } = await enqueue('a:1', now(), 1);
    const [claimed] = await claim();
    await failJob(ctx.db, claimed!, new Error('boom'), { now: now() });
    ctx.clock.advanceMs(MINUTE);
    const retried = await retryJob(ctx.db, job.id, { now: now() });
    expect(retried).toMatchObject({ state: 'ready', attempts: 0, runAt: '2026-04-02T12:01:00.000Z' });
    await expect(retryJob(ctx.db, job.id, { now: now() })).rejects.toSatisfy(hasCode('JOBS_NOT_RETRYABLE'));
    await expect(retryJob(ctx.db, 9999, { now: now() })).rejects.toSatisfy(hasCode('JOBS_NOT_FOUND'));
    expect((await claim()).map((j) => j.id)).toEqual([job.id]);
  });

  it('reschedules a claimed job without counting a failure', async () => {
    const { job } = await enqueue('sync-order:1');
    const [claimed] = await claim();
    const later = new Date(now().getTime() + 10 * MINUTE);
    expect(await rescheduleJob(ctx.db, claimed!, { now: now(), runAt: later })).toBe(true);
    expect(await findJob(ctx.db, job.id)).toMatchObject({
      state: 'ready',
      attempts: 0,
      runAt: later.toISOString(),
    });
  });

  it('lists due jobs without claiming them, also those whose lease ran out', async () => {
    await enqueue('a:1');
    await enqueue('b:1');
    await enqueue('c:1', new Date(now().getTime() + MINUTE));
    await claimDueJobs(ctx.db, { now: now(), owner: 'w', limit: 1, leaseMs: LEASE, kinds: ['a'] });
    expect((await listDueJobs(ctx.db, { now: now(), limit: 10 })).map((j) => j.key)).toEqual(['b:1']);
    ctx.clock.advanceMs(LEASE + 1);
    expect((await listDueJobs(ctx.db, { now: now(), limit: 10 })).map((j) => j.key)).toEqual([
      'a:1',
      'b:1',
      'c:1',
    ]);
    expect(
      (await listDueJobs(ctx.db, { now: now(), limit: 10, excludeKinds: ['a', 'c'] })).map((j) => j.key),
    ).toEqual(['b:1']);
    expect((await listJobs(ctx.db, { state: 'running' })).map((j) => j.key)).toEqual(['a:1']);
  });

  it('keeps instants as ISO strings with milliseconds and the payload as JSON', async () => {
    await enqueue('a:1', new Date('2026-04-02T12:00:00.123Z'));
    const row = await jobsKysely(ctx.db.kysely)
      .selectFrom('jobs')
      .select(['run_at'])
      .executeTakeFirstOrThrow();
    expect(row.run_at).toBe('2026-04-02T12:00:00.123Z');
  });
});

describe('backoffDelayMs', () => {
  it('doubles from one minute per failed attempt, caps at six hours and adds at most 10 % jitter', () => {
    expect([1, 2, 3, 4].map((a) => backoffDelayMs(a, () => 0))).toEqual([60_000, 120_000, 240_000, 480_000]);
    expect(backoffDelayMs(20, () => 0)).toBe(6 * 3_600_000);
    expect(backoffDelayMs(1, () => 0.999)).toBeLessThanOrEqual(66_000);
  });
});
