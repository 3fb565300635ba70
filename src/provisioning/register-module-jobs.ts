import type { AppContext } from '../app-context.ts';
import { formatMoney } from '../core/money.ts';
import type { JobHandlers } from '../jobs/job-handlers.ts';
import { closeTask, listTasks, openTask } from '../jobs/open-task.ts';
import type { ModuleRegistry } from './module-registry.ts';
import { listProcessingModules } from './module-repository.ts';
import type { ProvisioningContext, ProvisioningSettings } from './provisioning-context.ts';
import { refreshModuleBalance, type RefreshedModuleBalance } from './refresh-module-balance.ts';

/** The periodic job that reads the balance of every enabled processing module. */
export const MODULE_BALANCE_REFRESH_JOB = 'module-balance-refresh';

/** The task kind opened in a module's Department when its CA balance falls below the minimum. */
export const MODULE_LOW_BALANCE_TASK = 'module-low-balance';

export interface ModuleJobDeps {
  readonly modules: ModuleRegistry;
  readonly provisioningSettings?: ProvisioningSettings;
  /** How often the balances are read (default 6 hours: `BalanceRefreshHours`). */
  readonly balanceRefreshMs?: number;
}

/**
 * Registers the periodic `module-balance-refresh`: every enabled module's balance is read; a module
 * that crosses below its minimal balance opens one `module-low-balance` task in its Department
 * (the same open task while it stays low), and a module that climbs back closes it. A module whose
 * CA cannot be read does not stop the others; the job then fails and is retried.
 * @example registerModuleJobs(handlers, { modules, balanceRefreshMs: config.balanceRefreshHours * 3_600_000 });
 */
export function registerModuleJobs(handlers: JobHandlers, deps: ModuleJobDeps): JobHandlers {
  handlers.register(MODULE_BALANCE_REFRESH_JOB, async (_job, app) => {
    await refreshModuleBalances(provisioningContextOf(app, deps));
  });
  handlers.every(MODULE_BALANCE_REFRESH_JOB, deps.balanceRefreshMs ?? 6 * 3_600_000);
  return handlers;
}

/**
 * Refreshes the balance of every enabled module and acts on the crossings.
 * @example await refreshModuleBalances(ctx) → [{ moduleId: 1, crossedBelowMinimum: true, … }]
 */
export async function refreshModuleBalances(ctx: ProvisioningContext): Promise<RefreshedModuleBalance[]> {
  const refreshed: RefreshedModuleBalance[] = [];
  const failures: string[] = [];
  for (const module of await listProcessingModules(ctx, { enabledOnly: true })) {
    try {
      const result = await refreshModuleBalance(ctx, module.id);
      refreshed.push(result);
      const dedupeKey = `${MODULE_LOW_BALANCE_TASK}:module:${module.id}`;
      if (result.crossedBelowMinimum) {
        const min = result.minBalance ? formatMoney(result.minBalance) : 'its minimum';
        await openTask(ctx.db, {
          kind: MODULE_LOW_BALANCE_TASK,
          title: `The CA balance of processing module ${module.name} is below its minimum`,
          body: `The balance read at ${result.readAt} is ${formatMoney(result.balance)}, below the minimal balance of ${min}. Top up the CA account so that orders are not refused.`,
          related: `module:${module.id}`,
          dedupeKey,
          departmentId: module.department?.id ?? null,
          now: ctx.clock.now(),
        });
      } else if (result.recoveredAboveMinimum) {
        for (const task of await listTasks(ctx.db, { state: 'open', related: `module:${module.id}` })) {
          if (task.dedupeKey === dedupeKey) await closeTask(ctx.db, task.id, { now: ctx.clock.now() });
        }
      }
    } catch (e) {
      failures.push(`module ${module.id} (${module.name}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `The balance of ${failures.length} processing module(s) could not be read: ${failures.join('; ')}`,
    );
  }
  return refreshed;
}

function provisioningContextOf(app: AppContext, deps: ModuleJobDeps): ProvisioningContext {
  return {
    db: app.db,
    clock: app.clock,
    secrets: app.secrets,
    logger: (m) => app.logger(m),
    modules: deps.modules,
    ...(deps.provisioningSettings ? { provisioningSettings: deps.provisioningSettings } : {}),
  };
}
