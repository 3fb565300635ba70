import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { testDialects } from '../../../test/support/databases.ts';
import type { TestContext } from '../../../test/support/app.ts';
import { JobHandlers } from '../../jobs/job-handlers.ts';
import { claimDueJobs, enqueueJob, failJob, findJobByKey } from '../../jobs/job-queue.ts';
import { createJobsTestContext } from '../../jobs/jobs-test-context.ts';
import { registerJobsCommands, type OpenCommandContext } from './jobs.ts';

describe.each(testDialects())('certbill jobs and task commands on %s', (dialect) => {
  let ctx: TestContext;
  let clocks: string[];
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
    clocks = [];
  });
  afterEach(async () => {
    process.exitCode = undefined;
    await ctx.drop();
  });

  const open: OpenCommandContext = async ({ clock }) => {
    if (clock) clocks.push(clock.now().toISOString());
    return { ctx: clock ? { ...ctx, clock } : ctx, close: async () => undefined };
  };
  const handlers = () =>
    new JobHandlers().register('reissue', async (_job, c) => {
      clocks.push(`handler ${c.clock.now().toISOString()}`);
    });

  async function runCli(...args: string[]): Promise<{ out: unknown; exitCode: number }> {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    const program = new Command('certbill').exitOverride();
    registerJobsCommands(program, handlers, open);
    try {
      await program.parseAsync(['node', 'certbill', ...args]);
    } finally {
      vi.restoreAllMocks();
    }
    const exitCode = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    return { out: JSON.parse(stdout), exitCode };
  }

  const enqueue = (key: string, runAt: string) =>
    enqueueJob(ctx.db, { kind: 'reissue', key, payload: {}, runAt: new Date(runAt), now: ctx.clock.now() });

  it('runs what is due at --now, with time standing still at that instant', async () => {
    await enqueue('reissue:1:2', '2026-10-09T11:59:59Z');
    await enqueue('reissue:2:2', '2026-10-09T12:00:01Z');
    const dry = await runCli('jobs', 'run-once', '--now', '2026-10-09T12:00:00Z', '--dry-run', '--json');
    expect(dry.out).toEqual({ ran: [expect.objectContaining({ key: 'reissue:1:2', outcome: 'skipped' })] });
    expect(await findJobByKey(ctx.db, 'reissue:1:2')).toMatchObject({ state: 'ready' });
    const { out, exitCode } = await runCli('jobs', 'run-once', '--now', '2026-10-09T12:00:00Z', '--json');
    expect(exitCode).toBe(0);
    expect(out).toEqual({ ran: [{ id: 1, kind: 'reissue', key: 'reissue:1:2', outcome: 'done' }] });
    expect(clocks).toEqual([
      '2026-10-09T12:00:00.000Z',
      '2026-10-09T12:00:00.000Z',
      'handler 2026-10-09T12:00:00.000Z',
    ]);
  });

  it('refuses an --now that is not an ISO instant with exit code 2', async () => {
    const { out, exitCode } = await runCli('jobs', 'run-once', '--now', 'next tuesday', '--json');
    expect(exitCode).toBe(2);
    expect(out).toEqual({
      error: { code: 'CORE_VALIDATION', message: expect.stringContaining('--now next tuesday') },
    });
  });

  it('lists jobs by state, retries a dead one and lists the task it opened', async () => {
    const { job } = await enqueueJob(ctx.db, {
      kind: 'reissue',
      key: 'reissue:3:2',
      payload: {},
      runAt: ctx.clock.now(),
      now: ctx.clock.now(),
      maxAttempts: 1,
    });
    const [claimed] = await claimDueJobs(ctx.db, {
      now: ctx.clock.now(),
      owner: 'w',
      limit: 1,
      leaseMs: 60_000,
    });
    await failJob(ctx.db, claimed!, new Error('CA refused'), { now: ctx.clock.now() });
    const dead = await runCli('jobs', 'list', '--state', 'dead', '--json');
    expect(dead.out).toEqual({
      jobs: [expect.objectContaining({ id: job.id, state: 'dead', lastError: 'CA refused' })],
    });
    const tasks = await runCli('task', 'list', '--state', 'open', '--json');
    expect(tasks.out).toEqual({
      tasks: [expect.objectContaining({ kind: 'job-dead', related: `job:${job.id}` })],
    });
    const retried = await runCli('jobs', 'retry', String(job.id), '--json');
    expect(retried.out).toEqual({
      job: expect.objectContaining({ id: job.id, state: 'ready', attempts: 0 }),
    });
    const again = await runCli('jobs', 'retry', String(job.id), '--json');
    expect(again.exitCode).toBe(1);
    expect(JSON.stringify(again.out)).toContain('only a dead job can be retried');
    const bad = await runCli('jobs', 'list', '--state', 'sleeping', '--json');
    expect(bad.exitCode).toBe(2);
  });

  it('closes a task, after which it is no longer listed as open', async () => {
    const { job } = await enqueueJob(ctx.db, {
      kind: 'reissue',
      key: 'reissue:4:2',
      payload: {},
      runAt: ctx.clock.now(),
      now: ctx.clock.now(),
      maxAttempts: 1,
    });
    const [claimed] = await claimDueJobs(ctx.db, {
      now: ctx.clock.now(),
      owner: 'w',
      limit: 1,
      leaseMs: 60_000,
    });
    await failJob(ctx.db, claimed!, new Error('CA refused'), { now: ctx.clock.now() });
    const open = (await runCli('task', 'list', '--state', 'open', '--json')).out as {
      tasks: { id: number }[];
    };
    expect(open.tasks).toHaveLength(1);
    const taskId = open.tasks[0]!.id;
    const closed = await runCli('task', 'close', String(taskId), '--json');
    expect(closed.out).toEqual({
      task: expect.objectContaining({ id: taskId, state: 'closed', related: `job:${job.id}` }),
    });
    expect((await runCli('task', 'list', '--state', 'open', '--json')).out).toEqual({ tasks: [] });
    const unknown = await runCli('task', 'close', '999999', '--json');
    expect(unknown.exitCode).not.toBe(0);
    expect(JSON.stringify(unknown.out)).toContain('999999');
    expect((await runCli('task', 'close', 'x', '--json')).exitCode).toBe(2);
  });
});
