import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../app-context.ts';
import { enqueuePeriodicJobs, type JobHandlers, type RegisteredJobKind } from './job-handlers.ts';
import {
  claimDueJobs,
  completeJob,
  failJob,
  listDueJobs,
  rescheduleJob,
  type FailOutcome,
  type Job,
} from './job-queue.ts';
import { createJobsError, describeError } from './jobs-error.ts';

export type JobOutcome = 'done' | 'retry' | 'dead' | 'skipped';

/** One line of `{"ran": [...]}`: what happened to a due job in this run. */
export interface JobRun {
  readonly id: number;
  readonly kind: string;
  readonly key: string;
  readonly outcome: JobOutcome;
  readonly error?: string;
}

export interface RunDueJobsOptions {
  /** The instant of the whole run: due means `run_at <= now`. */
  readonly now: Date;
  /** The lease owner, unique per process (default `workerName()`). */
  readonly owner?: string;
  /** List what is due without claiming or running anything (every job `skipped`). */
  readonly dryRun?: boolean;
  /** At most this many jobs per run (default 1000). */
  readonly limit?: number;
  /** How long a claim lasts; longer than the slowest handler (default 5 min). */
  readonly leaseMs?: number;
  /** Jobs run side by side (default 4). */
  readonly concurrency?: number;
  /** Jitter source for backoff, in [0, 1). */
  readonly random?: () => number;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;

/**
 * Runs every job due at `now` once: enqueues this slot's periodic jobs, then claims and runs due
 * jobs of the registered kinds in batches until none is left (a job enqueued by a handler and due
 * at `now` runs in the same call). Due jobs of kinds without a handler stay ready and are reported
 * `skipped`. A job that fails or is rescheduled is due later than `now`, so it runs once per call.
 *
 * @example
 *   await runDueJobs(ctx, handlers, { now: new Date('2026-10-09T12:00:00Z') })
 *   // → { ran: [{ id: 7, kind: 'reissue', key: 'reissue:12:2', outcome: 'done' }] }
 */
export async function runDueJobs(
  ctx: AppContext,
  handlers: JobHandlers,
  opts: RunDueJobsOptions,
): Promise<{ ran: JobRun[] }> {
  const limit = opts.limit ?? 1000;
  const ran: JobRun[] = [];
  if (opts.dryRun) {
    for (const job of await listDueJobs(ctx.db, { now: opts.now, limit })) {
      ran.push(handlers.get(job.kind) ? runOf(job, 'skipped') : runOf(job, 'skipped', noHandler(job)));
    }
    return { ran };
  }
  await enqueuePeriodicJobs(ctx.db, handlers.periodic(), opts.now);
  const owner = opts.owner ?? workerName();
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  while (ran.length < limit) {
    const batch = await claimDueJobs(ctx.db, {
      now: opts.now,
      owner,
      limit: Math.min(concurrency, limit - ran.length),
      leaseMs: opts.leaseMs ?? DEFAULT_LEASE_MS,
      kinds: handlers.kinds(),
    });
    if (batch.length === 0) break;
    ran.push(...(await Promise.all(batch.map((job) => runClaimedJob(ctx, handlers, job, opts)))));
  }
  if (ran.length < limit) {
    const unhandled = await listDueJobs(ctx.db, {
      now: opts.now,
      limit: limit - ran.length,
      excludeKinds: handlers.kinds(),
    });
    for (const job of unhandled) ran.push(runOf(job, 'skipped', noHandler(job)));
  }
  return { ran };
}

/** A lease owner name unique to this process: `<host>:<pid>:<random>`. */
export function workerName(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

async function runClaimedJob(
  ctx: AppContext,
  handlers: JobHandlers,
  job: Job,
  opts: RunDueJobsOptions,
): Promise<JobRun> {
  const registered = handlers.get(job.kind) as RegisteredJobKind;
  const log = ctx.log;
  // Never earlier than the run's instant, so a retry is never due again within this run.
  const finishedAt = () => new Date(Math.max(ctx.clock.now().getTime(), opts.now.getTime()));
  if (job.attempts > job.maxAttempts) {
    const error = createJobsError(
      'JOBS_LEASE_EXPIRED',
      `The last attempt of job ${job.key} did not finish before its lease ran out.`,
    );
    return failed(ctx, registered, job, error, finishedAt(), opts);
  }
  try {
    const result = await registered.handler(job, ctx);
    const now = finishedAt();
    if (result) {
      const runAt = new Date(Math.max(result.runAgainAt.getTime(), opts.now.getTime() + 1));
      const held = await rescheduleJob(ctx.db, job, { now, runAt });
      log.write('extended', 'jobs', `${job.key} runs again at ${runAt.toISOString()}`);
      return held ? runOf(job, 'retry') : leaseLost(ctx, job);
    }
    if (!(await completeJob(ctx.db, job, { now }))) return leaseLost(ctx, job);
    log.write('extended', 'jobs', `${job.key} done (attempt ${job.attempts})`);
    return runOf(job, 'done');
  } catch (e) {
    return failed(ctx, registered, job, e, finishedAt(), opts);
  }
}

async function failed(
  ctx: AppContext,
  registered: RegisteredJobKind,
  job: Job,
  error: unknown,
  now: Date,
  opts: RunDueJobsOptions,
): Promise<JobRun> {
  const message = describeError(error);
  const dying = job.attempts >= job.maxAttempts;
  const departmentId = dying ? await departmentOf(ctx, registered, job) : null;
  const taskNote = dying ? await taskNoteOf(ctx, registered, job) : null;
  const outcome: FailOutcome = await failJob(ctx.db, job, error, {
    now,
    departmentId,
    ...(taskNote ? { taskNote } : {}),
    ...(opts.random ? { random: opts.random } : {}),
  });
  if (outcome === 'lease-lost') return leaseLost(ctx, job);
  ctx.log.write(
    outcome === 'dead' ? 'error' : 'warning',
    'jobs',
    `${job.key} attempt ${job.attempts}/${job.maxAttempts} failed${outcome === 'dead' ? ', job is dead' : ''}: ${message}`,
  );
  return runOf(job, outcome, message);
}

async function departmentOf(
  ctx: AppContext,
  registered: RegisteredJobKind,
  job: Job,
): Promise<number | null> {
  try {
    return (await registered.departmentOf?.(job, ctx)) ?? null;
  } catch (e) {
    ctx.log.write('warning', 'jobs', `no department for the task of ${job.key}: ${describeError(e)}`);
    return null;
  }
}

async function taskNoteOf(ctx: AppContext, registered: RegisteredJobKind, job: Job): Promise<string | null> {
  try {
    return (await registered.taskNoteOf?.(job, ctx)) ?? null;
  } catch (e) {
    ctx.log.write('warning', 'jobs', `no task note for ${job.key}: ${describeError(e)}`);
    return null;
  }
}

function leaseLost(ctx: AppContext, job: Job): JobRun {
  const error = `the lease of ${job.key} ran out and another worker claimed it; its result stands`;
  ctx.log.write('warning', 'jobs', error);
  return runOf(job, 'skipped', error);
}

function noHandler(job: Job): string {
  return `JOBS_NO_HANDLER: no handler for job kind ${job.kind} in this process; the job stays ready`;
}

function runOf(job: Job, outcome: JobOutcome, error?: string): JobRun {
  return { id: job.id, kind: job.kind, key: job.key, outcome, ...(error === undefined ? {} : { error }) };
}
