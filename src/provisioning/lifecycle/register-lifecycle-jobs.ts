import type { AppContext } from '../../app-context.ts';
import type { JobHandlers } from '../../jobs/job-handlers.ts';
import type { ModuleRegistry } from '../module-registry.ts';
import type { ProvisioningSettings } from '../provisioning-context.ts';
import { cancelCaOrder } from './cancel-ca-order.ts';
import { findGeneration } from './generation-repository.ts';
import { POLL_ORDER_JOB, SWEEP_ORDERED_JOB, type PollOrderPayload } from './job-kinds.ts';
import type { LifecycleContext, LifecycleOptions } from './lifecycle-context.ts';
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
 * once), `poll-order:<generation>` (follow it to issue), `cancel-order:<service>` and the periodic
 * `lifecycle-sweep`. A job that dies opens its task in the Department of the module involved.
 * @example registerLifecycleJobs(handlers, { modules, provisioningSettings: { demoBaseUrl }, lifecycle: { orderSearches } });
 */
export function registerLifecycleJobs(handlers: JobHandlers, deps: LifecycleJobDeps): JobHandlers {
  const departmentOfGeneration = async (generationId: number, app: AppContext): Promise<number | null> => {
    const generation = await findGeneration(app.db.kysely, generationId);
    return departmentOfModule(lifecycleContextOf(app, deps), generation?.moduleId ?? null);
  };
  handlers.register<PlaceOrderPayload>(
    PLACE_ORDER_JOB,
    async (job, app) => {
      const result = await placeCaOrder(lifecycleContextOf(app, deps), job.payload.generationId);
      return result.outcome === 'held' ? { runAgainAt: result.runAgainAt } : undefined;
    },
    { departmentOf: (job, app) => departmentOfGeneration(job.payload.generationId, app) },
  );
  handlers.register<PollOrderPayload>(
    POLL_ORDER_JOB,
    async (job, app) => {
      const result = await pollCaOrder(lifecycleContextOf(app, deps), job.payload.generationId);
      return result.outcome === 'pending' ? { runAgainAt: result.runAgainAt } : undefined;
    },
    { departmentOf: (job, app) => departmentOfGeneration(job.payload.generationId, app) },
  );
  handlers.register<CancelOrderPayload>(CANCEL_ORDER_JOB, async (job, app) => {
    await cancelCaOrder(lifecycleContextOf(app, deps), job.payload.serviceId);
  });
  handlers.register(SWEEP_ORDERED_JOB, async (_job, app) => {
    await sweepOrderedServices(app);
  });
  handlers.every(SWEEP_ORDERED_JOB, deps.sweepIntervalMs ?? 5 * 60_000);
  return handlers;
}
