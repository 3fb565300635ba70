import type { AppContext } from '../app-context.ts';
import type { JobHandlers } from './job-handlers.ts';
import { describeError } from './jobs-error.ts';
import { runDueJobs, workerName, type JobRun } from './run-due-jobs.ts';

/** The timer the loop waits on; tests pass one they fire by hand. */
export interface SchedulerTimer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SchedulerOptions {
  readonly handlers: JobHandlers;
  /** Pause between the end of one tick and the start of the next (default 5 s). */
  readonly intervalMs?: number;
  readonly owner?: string;
  readonly leaseMs?: number;
  readonly limit?: number;
  readonly concurrency?: number;
  readonly timer?: SchedulerTimer;
  /** While true, ticks run nothing and jobs stay ready (default: `config.maintenanceMode`). */
  readonly isPaused?: () => boolean;
}

export interface TickResult {
  readonly paused: boolean;
  readonly ran: readonly JobRun[];
}

const systemTimer: SchedulerTimer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The server's job loop: a tick runs the jobs due at the clock's instant, then the next tick waits
 * `intervalMs`. Ticks never overlap; `stop()` waits for the running tick, so no handler is cut off.
 *
 * @example
 *   const scheduler = new Scheduler(ctx, { handlers, intervalMs: 5_000 });
 *   scheduler.start();
 *   // on SIGTERM:
 *   await scheduler.stop();
 */
export class Scheduler {
  readonly owner: string;
  private readonly timer: SchedulerTimer;
  private readonly intervalMs: number;
  private handle: unknown;
  private running: Promise<TickResult> | undefined;
  private started = false;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: SchedulerOptions,
  ) {
    this.owner = opts.owner ?? workerName();
    this.timer = opts.timer ?? systemTimer;
    this.intervalMs = opts.intervalMs ?? 5_000;
  }

  /** Starts the loop; the first tick runs at once. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(0);
  }

  /**
   * Runs one tick now, or, when one is running, returns that tick instead of starting another.
   * @example await scheduler.tick() // → { paused: false, ran: [{ id: 7, …, outcome: 'done' }] }
   */
  tick(): Promise<TickResult> {
    this.running ??= this.runTick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Stops the loop and waits for the running tick to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.handle !== undefined) this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    await this.running;
  }

  private schedule(ms: number): void {
    this.handle = this.timer.setTimeout(() => {
      this.handle = undefined;
      void this.tick().finally(() => {
        if (!this.stopped) this.schedule(this.intervalMs);
      });
    }, ms);
  }

  private async runTick(): Promise<TickResult> {
    const paused = this.opts.isPaused ?? (() => this.ctx.config.maintenanceMode);
    if (paused()) return { paused: true, ran: [] };
    try {
      const { ran } = await runDueJobs(this.ctx, this.opts.handlers, {
        now: this.ctx.clock.now(),
        owner: this.owner,
        ...(this.opts.leaseMs === undefined ? {} : { leaseMs: this.opts.leaseMs }),
        ...(this.opts.limit === undefined ? {} : { limit: this.opts.limit }),
        ...(this.opts.concurrency === undefined ? {} : { concurrency: this.opts.concurrency }),
      });
      return { paused: false, ran };
    } catch (e) {
      // A database outage must not end the loop; the next tick tries again.
      this.ctx.log.write('error', 'jobs', `scheduler tick failed: ${describeError(e)}`);
      return { paused: false, ran: [] };
    }
  }
}
