import type { ExpressionBuilder, Selectable, Transaction } from 'kysely';
import type { Database, Dialect } from '../db/database.ts';
import type { JobsTable, JobsTables } from '../db/schema-jobs.ts';
import { createJobsError, describeError } from './jobs-error.ts';
import { jobsKysely } from './jobs-kysely.ts';
import { openTask, type OpenTaskInput } from './open-task.ts';

export const JOB_STATES = ['ready', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * One durable unit of work. `attempts` counts claims, so a job that comes back after a crash has
 * `attempts > 0` and its handler knows to reconcile before acting again.
 */
export interface Job<P = unknown> {
  readonly id: number;
  readonly kind: string;
  readonly key: string;
  readonly payload: P;
  readonly state: JobState;
  readonly runAt: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly doneAt: string | null;
}

export interface EnqueueJobInput<P> {
  readonly kind: string;
  /** Unique across all jobs ever enqueued, e.g. `reissue:12:3`; a second enqueue is a no-op. */
  readonly key: string;
  readonly payload: P;
  readonly runAt: Date;
  /** The current instant (from the Clock), kept as `created_at`. */
  readonly now: Date;
  /** Claims before the job is dead (default 8: about four hours of backoff). */
  readonly maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 8;

type JobRow = Selectable<JobsTable>;

/**
 * Adds a job unless one with the same key exists, and returns the stored job. Pass the caller's
 * transaction so the intent and its job commit together.
 *
 * @example
 *   await db.kysely.transaction().execute(async (trx) => {
 *     await trx.insertInto('certificate_generations').values(intent).execute();
 *     await enqueueJob(db, { kind: 'place-order', key: `place-order:${genId}`, payload: { genId }, runAt: now, now }, trx);
 *   });
 *   // → { job: { id: 7, state: 'ready', attempts: 0, … }, created: true }
 */
export async function enqueueJob<P, DB = JobsTables>(
  db: Database,
  input: EnqueueJobInput<P>,
  trx?: Transaction<DB>,
): Promise<{ job: Job<P>; created: boolean }> {
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a positive integer; got ${maxAttempts}`);
  }
  const k = trx ? jobsKysely(trx) : jobsKysely(db.kysely);
  const now = iso(input.now);
  const inserted = await k
    .insertInto('jobs')
    .values({
      kind: input.kind,
      key: input.key,
      payload: JSON.stringify(input.payload ?? null),
      state: 'ready',
      run_at: iso(input.runAt),
      attempts: 0,
      max_attempts: maxAttempts,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { job: toJob<P>(inserted, db.dialect), created: true };
  const existing = await k
    .selectFrom('jobs')
    .selectAll()
    .where('key', '=', input.key)
    .executeTakeFirstOrThrow();
  return { job: toJob<P>(existing, db.dialect), created: false };
}

export interface ClaimDueJobsInput {
  readonly now: Date;
  /** Who holds the lease, unique per process, e.g. `web-1:4121:a3f0`. */
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  /** Only these kinds (those the worker has handlers for); all kinds when absent. */
  readonly kinds?: readonly string[];
}

/**
 * Claims up to `limit` due jobs in one statement: sets the lease, `state = running` and
 * `attempts + 1`. A job is due when ready (or running with an expired lease) and `run_at <= now`.
 * Two workers never claim the same row: PostgreSQL skips rows another claim holds
 * (`FOR UPDATE SKIP LOCKED`); SQLite runs the statement under its single writer lock.
 *
 * @example
 *   const jobs = await claimDueJobs(db, { now: clock.now(), owner: 'web-1:4121', limit: 10, leaseMs: 300_000 });
 *   // → [{ id: 7, state: 'running', attempts: 1, leaseOwner: 'web-1:4121', leaseUntil: '…', … }]
 */
export async function claimDueJobs(db: Database, input: ClaimDueJobsInput): Promise<Job[]> {
  if (input.limit < 1 || (input.kinds && input.kinds.length === 0)) return [];
  const k = jobsKysely(db.kysely);
  const now = iso(input.now);
  let due = k
    .selectFrom('jobs')
    .select('id')
    .where((eb) => dueCondition(eb, now))
    .$if(input.kinds !== undefined, (qb) => qb.where('kind', 'in', input.kinds ?? []))
    .orderBy('run_at')
    .orderBy('id')
    .limit(input.limit);
  if (db.dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await k
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running',
      lease_owner: input.owner,
      lease_until: iso(new Date(input.now.getTime() + input.leaseMs)),
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map((r) => toJob(r, db.dialect)).sort((a, b) => compare(a.runAt, b.runAt) || a.id - b.id);
}

/**
 * Due jobs without claiming them (what `jobs run-once --dry-run` lists), oldest `run_at` first.
 * `excludeKinds` leaves out kinds, e.g. those a worker will claim itself.
 */
export async function listDueJobs(
  db: Database,
  input: { now: Date; limit: number; excludeKinds?: readonly string[] },
): Promise<Job[]> {
  const now = iso(input.now);
  const rows = await jobsKysely(db.kysely)
    .selectFrom('jobs')
    .selectAll()
    .where((eb) => dueCondition(eb, now))
    .$if(Boolean(input.excludeKinds?.length), (qb) => qb.where('kind', 'not in', input.excludeKinds ?? []))
    .orderBy('run_at')
    .orderBy('id')
    .limit(input.limit)
    .execute();
  return rows.map((r) => toJob(r, db.dialect));
}

/**
 * Marks a claimed job done. Returns false, and changes nothing, when the caller no longer holds the
 * lease (it expired and another worker claimed the job): the new owner's result stands.
 *
 * @example if (!(await completeJob(db, job, { now }))) log.write('warning', 'jobs', `lease of ${job.key} was taken over`);
 */
export async function completeJob(db: Database, job: Job, at: { now: Date }): Promise<boolean> {
  const now = iso(at.now);
  const result = await jobsKysely(db.kysely)
    .updateTable('jobs')
    .set({ state: 'done', done_at: now, lease_owner: null, lease_until: null, updated_at: now })
    .where((eb) => heldBy(eb, job))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export interface FailJobOptions {
  readonly now: Date;
  /** A number in [0, 1) that spreads retries; default Math.random. */
  readonly random?: () => number;
  /** Where the task goes when the job dies (the Department of the job's module), if anyone. */
  readonly departmentId?: number | null;
  /** Appended to the task's body when the job dies (e.g. the module's log lines about it). */
  readonly taskNote?: string;
}

export type FailOutcome = 'retry' | 'dead' | 'lease-lost';

/**
 * Records a failed attempt: back to `ready` after a backoff (`backoffDelayMs`), or, when the job has
 * used `maxAttempts` claims, `dead` with a task for people, both in one transaction. Like
 * `completeJob`, it changes nothing for a worker that lost the lease.
 *
 * @example await failJob(db, job, new Error('CA timeout'), { now }) // → 'retry' (runs again in ~1 min)
 */
export async function failJob(
  db: Database,
  job: Job,
  error: unknown,
  opts: FailJobOptions,
): Promise<FailOutcome> {
  const now = iso(opts.now);
  const lastError = describeError(error);
  if (job.attempts < job.maxAttempts) {
    const runAt = new Date(opts.now.getTime() + backoffDelayMs(job.attempts, opts.random ?? Math.random));
    const result = await jobsKysely(db.kysely)
      .updateTable('jobs')
      .set({
        state: 'ready',
        run_at: iso(runAt),
        lease_owner: null,
        lease_until: null,
        last_error: lastError,
        updated_at: now,
      })
      .where((eb) => heldBy(eb, job))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n ? 'retry' : 'lease-lost';
  }
  return jobsKysely(db.kysely)
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .updateTable('jobs')
        .set({ state: 'dead', lease_owner: null, lease_until: null, last_error: lastError, updated_at: now })
        .where((eb) => heldBy(eb, job))
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return 'lease-lost';
      await openTask(db, deadJobTask(job, lastError, opts), trx);
      return 'dead';
    });
}

/**
 * Puts a claimed job back to `ready` at `runAt` without counting a failure (`attempts` restarts at
 * 0): for work that waits on something, like an order pending at the CA.
 */
export async function rescheduleJob(
  db: Database,
  job: Job,
  at: { now: Date; runAt: Date },
): Promise<boolean> {
  const now = iso(at.now);
  const result = await jobsKysely(db.kysely)
    .updateTable('jobs')
    .set({
      state: 'ready',
      run_at: iso(at.runAt),
      attempts: 0,
      lease_owner: null,
      lease_until: null,
      updated_at: now,
    })
    .where((eb) => heldBy(eb, job))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Gives a dead job a fresh set of attempts, due at `now` (what `certbill jobs retry <id>` does).
 * @example await retryJob(db, 5, { now }) // → { id: 5, state: 'ready', attempts: 0, … }
 */
export async function retryJob(db: Database, id: number, at: { now: Date }): Promise<Job> {
  const now = iso(at.now);
  const k = jobsKysely(db.kysely);
  const row = await k
    .updateTable('jobs')
    .set({ state: 'ready', run_at: now, attempts: 0, lease_owner: null, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'dead')
    .returningAll()
    .executeTakeFirst();
  if (row) return toJob(row, db.dialect);
  const job = await findJob(db, id);
  if (!job)
    throw createJobsError('JOBS_NOT_FOUND', `No job has id ${id}; certbill jobs list shows the jobs.`, {
      id,
    });
  throw createJobsError(
    'JOBS_NOT_RETRYABLE',
    `Job ${id} (${job.key}) is ${job.state}; only a dead job can be retried.`,
    { id, state: job.state },
  );
}

export async function findJob(db: Database, id: number): Promise<Job | undefined> {
  const row = await jobsKysely(db.kysely)
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toJob(row, db.dialect);
}

export async function findJobByKey(db: Database, key: string): Promise<Job | undefined> {
  const row = await jobsKysely(db.kysely)
    .selectFrom('jobs')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirst();
  return row && toJob(row, db.dialect);
}

/** Jobs by state and kind, soonest `run_at` first (newest first for done and dead jobs). */
export async function listJobs(
  db: Database,
  filter: { state?: JobState; kind?: string; limit?: number } = {},
): Promise<Job[]> {
  const finished = filter.state === 'done' || filter.state === 'dead';
  const rows = await jobsKysely(db.kysely)
    .selectFrom('jobs')
    .selectAll()
    .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state ?? 'ready'))
    .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind ?? ''))
    .orderBy('run_at', finished ? 'desc' : 'asc')
    .orderBy('id', finished ? 'desc' : 'asc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => toJob(r, db.dialect));
}

/**
 * The wait before attempt `attempts + 1` after `attempts` failed claims: 1 min × 2^(attempts − 1),
 * capped at 6 h, plus up to 10 % jitter so a burst of failures does not retry as a herd.
 * @example backoffDelayMs(3, () => 0) // → 240000 (4 min)
 */
export function backoffDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3_600_000);
  return Math.round(base * (1 + 0.1 * random()));
}

function deadJobTask(job: Job, lastError: string, opts: FailJobOptions): OpenTaskInput {
  return {
    kind: 'job-dead',
    title: `Job ${job.key} failed ${job.attempts} times and stopped`,
    body:
      `Job ${job.id} (${job.kind}, key ${job.key}) failed on every one of its ${job.attempts} attempts.\n` +
      `Last error: ${lastError}\n` +
      `Payload: ${JSON.stringify(job.payload)}\n` +
      `Fix the cause, then run: certbill jobs retry ${job.id}` +
      (opts.taskNote ? `\n${opts.taskNote}` : ''),
    related: `job:${job.id}`,
    dedupeKey: `job-dead:${job.id}`,
    departmentId: opts.departmentId ?? null,
    now: opts.now,
  };
}

function dueCondition(eb: ExpressionBuilder<JobsTables, 'jobs'>, now: string) {
  return eb.and([
    eb('state', 'in', ['ready', 'running']),
    eb('run_at', '<=', now),
    eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]),
  ]);
}

/** The lease fence: same owner and same claim (a later claim has a higher `attempts`). */
function heldBy(eb: ExpressionBuilder<JobsTables, 'jobs'>, job: Job) {
  return eb.and([
    eb('id', '=', job.id),
    eb('state', '=', 'running'),
    eb('lease_owner', '=', job.leaseOwner ?? ''),
    eb('attempts', '=', job.attempts),
  ]);
}

function toJob<P = unknown>(row: JobRow, dialect: Dialect): Job<P> {
  return {
    id: Number(row.id),
    kind: row.kind,
    key: row.key,
    payload: (dialect === 'sqlite' ? JSON.parse(String(row.payload)) : row.payload) as P,
    state: row.state as JobState,
    runAt: row.run_at,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    doneAt: row.done_at,
  };
}

function iso(d: Date): string {
  return d.toISOString();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
