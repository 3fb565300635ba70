import { isProviderError } from '../provider-error.ts';
import type { ModuleRow } from '../module-repository.ts';
import { refreshModuleBalance } from '../refresh-module-balance.ts';
import { lifecycleKysely, type LifecycleContext } from './lifecycle-context.ts';

/** Why a module was passed over, e.g. `{ moduleId: 1, name: 'GS main', reason: 'below its minimal balance (40.00 < 50.00 USD)' }`. */
export interface SkippedModule {
  readonly moduleId: number;
  readonly name: string;
  readonly reason: string;
}

/**
 * The processing modules that may take a tariff's orders, in the order they are tried: lowest Sort
 * first, then the tariff's own order, then the oldest. A tariff without modules may use every
 * module.
 */
export async function listModuleCandidates(ctx: LifecycleContext, tariffId: number): Promise<ModuleRow[]> {
  const k = lifecycleKysely(ctx.db.kysely);
  const linked = await k
    .selectFrom('processing_modules')
    .innerJoin('tariff_modules', 'tariff_modules.module_id', 'processing_modules.id')
    .selectAll('processing_modules')
    .where('tariff_modules.tariff_id', '=', tariffId)
    .orderBy('processing_modules.sort')
    .orderBy('tariff_modules.sort')
    .orderBy('processing_modules.id')
    .execute();
  if (linked.length > 0) return linked as ModuleRow[];
  const all = await k.selectFrom('processing_modules').selectAll().orderBy('sort').orderBy('id').execute();
  return all as ModuleRow[];
}

/**
 * Whether a module can take an order now: enabled, and, when it has a minimal balance, the CA
 * account's balance read now is not under it (reading it also proves the module is reachable).
 * Returns the reason to skip it, or null.
 */
export async function whyModuleCannotOrder(ctx: LifecycleContext, row: ModuleRow): Promise<string | null> {
  if (row.enabled !== 1) return 'disabled';
  if (row.min_balance_minor === null) return null;
  try {
    const read = await refreshModuleBalance(ctx, Number(row.id));
    if (read.belowMinimum) {
      return `below its minimal balance (${read.balance.amountMinor} < ${read.minBalance?.amountMinor} minor units of ${read.balance.currency})`;
    }
    return null;
  } catch (e) {
    if (isProviderError(e)) return `cannot read its balance: ${e.message}`;
    throw e;
  }
}
