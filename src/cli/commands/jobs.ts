import type { Command } from 'commander';
import type { AppContext } from '../../app-context.ts';
import { closeAppContext, composeAppContext } from '../../compose.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors/index.ts';
import type { JobHandlers } from '../../jobs/job-handlers.ts';
import { JOB_STATES, listJobs, retryJob, type Job, type JobState } from '../../jobs/job-queue.ts';
import { closeTask, listTasks, TASK_STATES, type Task, type TaskState } from '../../jobs/open-task.ts';
import { runDueJobs, type JobRun } from '../../jobs/run-due-jobs.ts';
import { withOutput, type OutputOptions } from '../output.ts';

/** Builds the handlers of every job kind for a context (the composition root's registry). */
export type JobHandlersFactory = (ctx: AppContext) => JobHandlers;

/** Opens the context a command runs in, with the clock it is given; `close` releases it. */
export type OpenCommandContext = (opts: {
  clock?: Clock;
}) => Promise<{ ctx: AppContext; close(): Promise<void> }>;

interface RunOnceOptions extends OutputOptions {
  now?: string;
  dryRun?: boolean;
  limit?: string;
}

interface ListOptions extends OutputOptions {
  state?: string;
  kind?: string;
  limit?: string;
}

interface TaskListOptions extends OutputOptions {
  state?: string;
  department?: string;
  limit?: string;
}

const openComposedContext: OpenCommandContext = async ({ clock }) => {
  const ctx = await composeAppContext(clock ? { clock } : {});
  return { ctx, close: () => closeAppContext(ctx) };
};

/**
 * `certbill jobs run-once|list|retry` and `certbill task list|close`.
 * @example certbill jobs run-once --now 2026-10-09T12:00:00Z --json
 *   → {"ran":[{"id":7,"kind":"reissue","key":"reissue:12:2","outcome":"done"}]}
 */
export function registerJobsCommands(
  program: Command,
  handlersFactory: JobHandlersFactory,
  openContext: OpenCommandContext = openComposedContext,
): void {
  const withContext = async <R>(
    clock: Clock | undefined,
    run: (ctx: AppContext) => Promise<R>,
  ): Promise<R> => {
    const { ctx, close } = await openContext(clock ? { clock } : {});
    try {
      return await run(ctx);
    } finally {
      await close();
    }
  };

  const jobs = program.command('jobs').description('Scheduled work: run what is due, list, retry');

  jobs
    .command('run-once')
    .description('Run every job due at an instant once (or list them with --dry-run)')
    .option('--now <instant>', 'the instant of the run, ISO 8601 (default: now); time stands still at it')
    .option('--dry-run', 'list the due jobs without running them')
    .option('--limit <n>', 'at most this many jobs (default 1000)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: RunOnceOptions): Promise<{ ran: JobRun[] }> => {
          const now = opts.now === undefined ? undefined : parseInstantOption('--now', opts.now);
          const limit = parseCountOption('--limit', opts.limit);
          const clock: Clock | undefined = now && { now: () => new Date(now.getTime()) };
          return withContext(clock, (ctx) =>
            runDueJobs(ctx, handlersFactory(ctx), {
              now: ctx.clock.now(),
              dryRun: Boolean(opts.dryRun),
              ...(limit === undefined ? {} : { limit }),
            }),
          );
        },
        (r) =>
          r.ran.length === 0
            ? 'Nothing is due.'
            : r.ran
                .map((j) => `${j.outcome.padEnd(7)} ${j.key} (job ${j.id})${j.error ? `: ${j.error}` : ''}`)
                .join('\n'),
      ),
    );

  jobs
    .command('list')
    .description('List jobs, soonest first (newest first for done and dead)')
    .option('--state <state>', `one of ${JOB_STATES.join(', ')}`)
    .option('--kind <kind>', 'only jobs of this kind, e.g. reissue')
    .option('--limit <n>', 'at most this many jobs (default 100)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: ListOptions): Promise<{ jobs: Job[] }> => {
          const state = parseChoice('--state', opts.state, JOB_STATES);
          const limit = parseCountOption('--limit', opts.limit);
          return withContext(undefined, async (ctx) => ({
            jobs: await listJobs(ctx.db, {
              ...(state === undefined ? {} : { state: state as JobState }),
              ...(opts.kind === undefined ? {} : { kind: opts.kind }),
              ...(limit === undefined ? {} : { limit }),
            }),
          }));
        },
        (r) =>
          r.jobs.length === 0
            ? 'No jobs.'
            : r.jobs
                .map(
                  (j) =>
                    `${String(j.id).padStart(6)} ${j.state.padEnd(7)} ${j.runAt} ${j.key} ` +
                    `(attempt ${j.attempts}/${j.maxAttempts})${j.lastError ? ` last error: ${j.lastError}` : ''}`,
                )
                .join('\n'),
      ),
    );

  jobs
    .command('retry <id>')
    .description('Give a dead job a fresh set of attempts, due now')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: OutputOptions, id: string): Promise<{ job: Job }> => {
          const jobId = parseIdArgument('job', id);
          return withContext(undefined, async (ctx) => ({
            job: await retryJob(ctx.db, jobId, { now: ctx.clock.now() }),
          }));
        },
        (r) => `Job ${r.job.id} (${r.job.key}) is ready again.`,
      ),
    );

  const task = program.command('task').description('Tasks for people (e.g. jobs that died)');
  task
    .command('list')
    .description('List tasks, newest first')
    .option('--state <state>', `one of ${TASK_STATES.join(', ')}`)
    .option('--department <id>', 'only tasks of this Department')
    .option('--limit <n>', 'at most this many tasks (default 100)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: TaskListOptions): Promise<{ tasks: Task[] }> => {
          const state = parseChoice('--state', opts.state, TASK_STATES);
          const departmentId =
            opts.department === undefined ? undefined : parseIdArgument('department', opts.department);
          const limit = parseCountOption('--limit', opts.limit);
          return withContext(undefined, async (ctx) => ({
            tasks: await listTasks(ctx.db, {
              ...(state === undefined ? {} : { state: state as TaskState }),
              ...(departmentId === undefined ? {} : { departmentId }),
              ...(limit === undefined ? {} : { limit }),
            }),
          }));
        },
        (r) =>
          r.tasks.length === 0
            ? 'No tasks.'
            : r.tasks
                .map((t) => `${String(t.id).padStart(6)} ${t.state.padEnd(6)} ${t.createdAt} ${t.title}`)
                .join('\n'),
      ),
    );
  task
    .command('close <taskId>')
    .description('Close an open task (a closed one stays closed)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: OutputOptions, taskId: string): Promise<{ task: Task }> => {
          const id = parseIdArgument('task', taskId);
          return withContext(undefined, async (ctx) => ({
            task: await closeTask(ctx.db, id, { now: ctx.clock.now() }),
          }));
        },
        (r) => `Task ${r.task.id} is ${r.task.state}: ${r.task.title}`,
      ),
    );
}

function parseInstantOption(flag: string, raw: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw)
    ? new Date(raw)
    : null;
  if (!d || Number.isNaN(d.getTime())) {
    throw new AppError(
      'CORE_VALIDATION',
      `${flag} ${raw} is not an instant: use ISO 8601 with a zone, e.g. 2026-10-09T12:00:00Z.`,
    );
  }
  return d;
}

function parseCountOption(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1) {
    throw new AppError('CORE_VALIDATION', `${flag} ${raw} is not a count: use a whole number ≥ 1.`);
  }
  return n;
}

function parseIdArgument(what: string, raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new AppError('CORE_VALIDATION', `${raw} is not a ${what} id: use a whole number, e.g. 5.`);
  }
  return n;
}

function parseChoice(flag: string, raw: string | undefined, allowed: readonly string[]): string | undefined {
  if (raw === undefined || allowed.includes(raw)) return raw;
  throw new AppError('CORE_VALIDATION', `${flag} ${raw} is not allowed: use one of ${allowed.join(', ')}.`);
}
