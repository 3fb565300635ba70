import { connectionFailure } from './connection-failure.ts';
import type { ModuleSettings } from './module-registry.ts';
import {
  findModuleRow,
  getProcessingModule,
  provisioningKysely,
  type ProcessingModuleView,
} from './module-repository.ts';
import { moduleSettingsOf } from './open-processing-module.ts';
import type { ConnectionCheck } from './processing-module.ts';
import type { ProvisioningContext } from './provisioning-context.ts';
import { ProviderError } from './provider-error.ts';

const CHECK_TIMEOUTS = { connectMs: 10_000, readMs: 30_000 };

/**
 * Calls the CA with `settings` (AccountSnapshot for GlobalSign) once, without retries, so the admin
 * sees the cause at once. A failure is PROVISIONING_CONNECTION_FAILED with the hints and the cause.
 *
 * @example await runConnectionCheck(ctx, 'globalsign', { username, password, baseUrl }) → { balance: { amountMinor: 100000, currency: 'USD', readAt } }
 */
export async function runConnectionCheck(
  ctx: ProvisioningContext,
  kindName: string,
  settings: ModuleSettings,
): Promise<ConnectionCheck> {
  const kind = ctx.modules.get(kindName);
  const module = kind.create(
    {
      ...settings,
      timeouts: { ...CHECK_TIMEOUTS, ...ctx.provisioningSettings?.checkTimeouts, ...settings.timeouts },
      queryAttempts: 1,
    },
    { clock: ctx.clock, logger: ctx.logger(kind.logName) },
  );
  try {
    return await module.checkConnection({ reason: 'connection check' });
  } catch (e) {
    if (e instanceof ProviderError) throw connectionFailure(e);
    throw e;
  } finally {
    module.close();
  }
}

export interface CheckedModule {
  readonly module: ProcessingModuleView;
  readonly check: ConnectionCheck;
}

/**
 * Checks a stored module's connection now and keeps the balance it read.
 * @example await checkProcessingModule(ctx, 1) → { module: { id: 1, lastCheckAt: '…', balance: … }, check: { balance } }
 */
export async function checkProcessingModule(
  ctx: ProvisioningContext,
  moduleId: number,
): Promise<CheckedModule> {
  const row = await findModuleRow(ctx.db, moduleId);
  const check = await runConnectionCheck(ctx, row.kind, moduleSettingsOf(ctx, row));
  const now = ctx.clock.now().toISOString();
  await provisioningKysely(ctx.db.kysely)
    .updateTable('processing_modules')
    .set({
      last_check_at: now,
      ...(check.balance
        ? {
            balance_minor: check.balance.amountMinor,
            balance_currency: check.balance.currency,
            balance_read_at: check.balance.readAt,
          }
        : {}),
    })
    .where('id', '=', moduleId)
    .execute();
  return { module: await getProcessingModule(ctx, moduleId), check };
}
