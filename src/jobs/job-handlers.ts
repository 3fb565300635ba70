import type { AppContext } from '../app-context.ts';
import type { Database } from '../db/database.ts';
import { enqueueJob, type Job } from './job-queue.ts';

/** What a handler may return instead of finishing: run again at `runAgainAt`, not as a failure. */
export interface JobReschedule {
  readonly runAgainAt: Date;
}

/**
 * Runs one job. Resolving finishes the job; throwing retries it with backoff (then it dies and a
 * task opens). A handler may run more than once for one job (a crash after its side effect, before
 * the job is marked done), so it checks `job.attempts > 1` and reconciles before acting again.
 */
export type JobHandler<P = unknown> = (job: Job<P>, ctx: AppContext) => Promise<void | JobReschedule>;

export interface JobKindOptions<P> {
  /** The Department that gets the task when a job of this kind dies; none when absent. */
  readonly departmentOf?: (job: Job<P>, ctx: AppContext) => Promise<number | null>;
  /** More for the task's body when a job of this kind dies (e.g. the module's log lines about it). */
  readonly taskNoteOf?: (job: Job<P>, ctx: AppContext) => Promise<string | null>;
}

export interface RegisteredJobKind {
  readonly kind: string;
  readonly handler: JobHandler;
  readonly departmentOf?: (job: Job, ctx: AppContext) => Promise<number | null>;
  readonly taskNoteOf?: (job: Job, ctx: AppContext) => Promise<string | null>;
}

/** A job enqueued once per time slot of `intervalMs`, aligned to the Unix epoch. */
export interface PeriodicJob {
  readonly kind: string;
  readonly intervalMs: number;
  readonly maxAttempts?: number;
}

/** The payload of a periodic job: the slot it runs for. */
export interface PeriodicPayload {
  readonly slotStart: string;
}

/**
 * Declares a periodic job, e.g. `every('balance-refresh', 6 * 3_600_000)`: one job per slot, keyed
 * `balance-refresh:2026-04-02T12:00:00.000Z`, so several instances never double it.
 */
export function every(kind: string, intervalMs: number, opts: { maxAttempts?: number } = {}): PeriodicJob {
  if (!Number.isInteger(intervalMs) || intervalMs < 1000) {
    throw new RangeError(
      `the interval of periodic job ${kind} must be a whole number of ms ≥ 1000; got ${intervalMs}`,
    );
  }
  return { kind, intervalMs, ...(opts.maxAttempts === undefined ? {} : { maxAttempts: opts.maxAttempts }) };
}

/**
 * The kinds of work this process can run, registered by the composition root, and the periodic
 * jobs it keeps enqueued.
 *
 * @example
 *   const handlers = new JobHandlers()
 *     .register('balance-refresh', refreshModuleBalances)
 *     .register<ReissuePayload>('reissue', reissueCertificate, { departmentOf: departmentOfService })
 *     .every('balance-refresh', 6 * 3_600_000);
 */
export class JobHandlers {
  private readonly byKind = new Map<string, RegisteredJobKind>();
  private readonly periodicJobs: PeriodicJob[] = [];

  /** The handler trusts the payload's shape to `P`; validate it there if it comes from outside. */
  register<P = unknown>(kind: string, handler: JobHandler<P>, opts: JobKindOptions<P> = {}): this {
    if (this.byKind.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.byKind.set(kind, {
      kind,
      handler: handler as JobHandler,
      ...(opts.departmentOf ? { departmentOf: opts.departmentOf as RegisteredJobKind['departmentOf'] } : {}),
      ...(opts.taskNoteOf ? { taskNoteOf: opts.taskNoteOf as RegisteredJobKind['taskNoteOf'] } : {}),
    });
    return this;
  }

  every(kind: string, intervalMs: number, opts: { maxAttempts?: number } = {}): this {
    this.periodicJobs.push(every(kind, intervalMs, opts));
    return this;
  }

  get(kind: string): RegisteredJobKind | undefined {
    return this.byKind.get(kind);
  }

  kinds(): string[] {
    return [...this.byKind.keys()];
  }

  periodic(): readonly PeriodicJob[] {
    return this.periodicJobs;
  }
}

/** The start of the slot of `intervalMs` that holds `now`, aligned to the Unix epoch. */
export function slotStart(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/**
 * Enqueues the current slot's occurrence of each periodic job (a no-op when it exists, also when
 * another instance enqueued it). A slot missed while nothing ran is not made up: the next run is
 * the slot that holds `now`.
 * @example await enqueuePeriodicJobs(db, [every('balance-refresh', 21_600_000)], new Date('2026-04-02T13:05:00Z'))
 *   // → enqueues balance-refresh:2026-04-02T12:00:00.000Z, due now
 */
export async function enqueuePeriodicJobs(
  db: Database,
  periodic: readonly PeriodicJob[],
  now: Date,
): Promise<number> {
  let created = 0;
  for (const p of periodic) {
    const start = slotStart(now, p.intervalMs);
    const payload: PeriodicPayload = { slotStart: start.toISOString() };
    const result = await enqueueJob(db, {
      kind: p.kind,
      key: `${p.kind}:${payload.slotStart}`,
      payload,
      runAt: start,
      now,
      ...(p.maxAttempts === undefined ? {} : { maxAttempts: p.maxAttempts }),
    });
    if (result.created) created += 1;
  }
  return created;
}
