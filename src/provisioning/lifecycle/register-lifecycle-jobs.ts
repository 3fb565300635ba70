import type { AppContext } from '../../app-context.ts';
import type { JobHandler, JobHandlers } from '../../jobs/job-handlers.ts';
import type { Job } from '../../jobs/job-queue.ts';
import { describeError } from '../../jobs/jobs-error.ts';
import type { ModuleRegistry } from '../module-registry.ts';
import type { ProvisioningSettings } from '../provisioning-context.ts';
import { cancelCaOrder } from './cancel-ca-order.ts';
import { completeDcvSwitch, DCV_SWITCH_JOB, type DcvSwitchPayload } from './complete-dcv-switch.ts';
import { findGeneration } from './generation-repository.ts';
import { failureLogExcerpt, logToModule } from './module-log-excerpt.ts';
import { POLL_ORDER_JOB, SWEEP_ORDERED_JOB, type PollOrderPayload } from './job-kinds.ts';
import { lifecycleKysely, type LifecycleContext, type LifecycleOptions } from './lifecycle-context.ts';
import { placeCaOrder } from './place-ca-order.ts';
import { departmentOfModule, pollCaOrder } from './poll-ca-order.ts';
import {
  CANCEL_ORDER_JOB,
  PLACE_ORDER_JOB,
  sweepOrderedServices,
  type CancelOrderPayload,
  type PlaceOrderPayload,
} from './record-order-intent.ts';

/** What the lifecycle's jobs need beyond the application context. */
export interface LifecycleJobDeps {
  readonly modules: ModuleRegistry;
  readonly provisioningSettings?: ProvisioningSettings;
  readonly lifecycle?: LifecycleOptions;
  /** How often ordered services without a certificate generation are looked for (default 5 min). */
  readonly sweepIntervalMs?: number;
}

/** The lifecycle context of a job run: the application's context plus the lifecycle's dependencies. */
export function lifecycleContextOf(app: AppContext, deps: LifecycleJobDeps): LifecycleContext {
  return Object.assign(Object.create(null) as object, app, {
    modules: deps.modules,
    ...(deps.provisioningSettings ? { provisioningSettings: deps.provisioningSettings } : {}),
    ...(deps.lifecycle ? { lifecycle: deps.lifecycle } : {}),
  }) as LifecycleContext;
}

/**
 * Registers the certificate lifecycle's jobs: `place-order:<generation>` (place the CA order exactly
 * once), `poll-order:<generation>` (follow it to issue), `dcv-switch:<switch>` (cancel a pending
 * order and order again with another validation method), `cancel-order:<service>` and the periodic
 * `lifecycle-sweep`. A job that dies opens its task in the Department of the module involved.
 * @example registerLifecycleJobs(handlers, { modules, provisioningSettings: { demoBaseUrl }, lifecycle: { orderSearches } });
 */
export function registerLifecycleJobs(handlers: JobHandlers, deps: LifecycleJobDeps): JobHandlers {
  const departmentOfGeneration = async (generationId: number, app: AppContext): Promise<number | null> => {
    const generation = await findGeneration(app.db.kysely, generationId);
    return departmentOfModule(lifecycleContextOf(app, deps), generation?.moduleId ?? null);
  };
  /** The options of a job about one generation's order: its Department and its log lines. */
  const aboutGeneration = <P>(generationOf: GenerationOf<P>) => ({
    departmentOf: async (job: Job<P>, app: AppContext) => {
      const id = await generationOf(job, app);
      return id === null ? null : departmentOfGeneration(id, app);
    },
    taskNoteOf: async (job: Job<P>, app: AppContext) => {
      const id = await generationOf(job, app);
      return id === null ? null : failureLogExcerpt(lifecycleContextOf(app, deps), { generationId: id });
    },
  });
  const byGenerationId: GenerationOf<{ generationId: number }> = async (job) => job.payload.generationId;
  const bySwitch: GenerationOf<DcvSwitchPayload> = async (job, app) => {
    const row = await lifecycleKysely(app.db.kysely)
      .selectFrom('dcv_switches')
      .select('from_generation_id')
      .where('id', '=', job.payload.switchId)
      .executeTakeFirst();
    return row ? Number(row.from_generation_id) : null;
  };
  const byService: GenerationOf<CancelOrderPayload> = async (job, app) => {
    const row = await lifecycleKysely(app.db.kysely)
      .selectFrom('certificate_generations')
      .select('id')
      .where('service_id', '=', job.payload.serviceId)
      .where('ca_order_id', 'is not', null)
      .orderBy('seq', 'desc')
      .executeTakeFirst();
    return row ? Number(row.id) : null;
  };

  handlers.register<PlaceOrderPayload>(
    PLACE_ORDER_JOB,
    loggingFailures(deps, byGenerationId, async (job, app) => {
      const result = await placeCaOrder(lifecycleContextOf(app, deps), job.payload.generationId);
      return result.outcome === 'held' ? { runAgainAt: result.runAgainAt } : undefined;
    }),
    aboutGeneration(byGenerationId),
  );
  handlers.register<PollOrderPayload>(
    POLL_ORDER_JOB,
    loggingFailures(deps, byGenerationId, async (job, app) => {
      const result = await pollCaOrder(lifecycleContextOf(app, deps), job.payload.generationId);
      return result.outcome === 'pending' ? { runAgainAt: result.runAgainAt } : undefined;
    }),
    aboutGeneration(byGenerationId),
  );
  handlers.register<DcvSwitchPayload>(
    DCV_SWITCH_JOB,
    loggingFailures(deps, bySwitch, async (job, app) => {
      await completeDcvSwitch(lifecycleContextOf(app, deps), job.payload.switchId);
    }),
    aboutGeneration(bySwitch),
  );
  handlers.register<CancelOrderPayload>(
    CANCEL_ORDER_JOB,
    loggingFailures(deps, byService, async (job, app) => {
      await cancelCaOrder(lifecycleContextOf(app, deps), job.payload.serviceId);
    }),
    aboutGeneration(byService),
  );
  handlers.register(SWEEP_ORDERED_JOB, async (_job, app) => {
    await sweepOrderedServices(app);
  });
  handlers.every(SWEEP_ORDERED_JOB, deps.sweepIntervalMs ?? 5 * 60_000);
  return handlers;
}

/** The generation a job is about (its order is what the module log mentions), if any. */
type GenerationOf<P> = (job: Job<P>, app: AppContext) => Promise<number | null>;

/**
 * A lifecycle job's handler that writes each failed attempt to the module's log (with the service,
 * generation and order), so the task of a job that dies can quote it.
 */
function loggingFailures<P>(
  deps: LifecycleJobDeps,
  generationOf: GenerationOf<P>,
  handler: JobHandler<P>,
): JobHandler<P> {
  return async (job, app) => {
    try {
      return await handler(job, app);
    } catch (e) {
      try {
        const generationId = await generationOf(job, app);
        if (generationId !== null) {
          await logToModule(
            lifecycleContextOf(app, deps),
            generationId,
            job.attempts >= job.maxAttempts ? 'error' : 'warning',
            `${job.kind} attempt ${job.attempts}/${job.maxAttempts} failed: ${describeError(e)}`,
          );
        }
      } catch {
        // The log line is a help for people; the job's own failure is what counts.
      }
      throw e;
    }
  };
}
