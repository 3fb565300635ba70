import { formatMoney, type Money } from '../core/money.ts';
import { recordDepartmentNotification } from '../notifications/record-department-notification.ts';
import { findModuleRow, provisioningKysely } from './module-repository.ts';
import { openProcessingModule } from './open-processing-module.ts';
import type { ProvisioningContext } from './provisioning-context.ts';

export interface RefreshedModuleBalance {
  readonly moduleId: number;
  readonly balance: Money;
  /** ISO 8601 instant the CA was asked. */
  readonly readAt: string;
  readonly minBalance: Money | null;
  readonly belowMinimum: boolean;
  /**
   * True for exactly one refresh per fall below the minimal balance (the stored state flips once,
   * also with several instances refreshing at the same time): tell the module's Department then.
   */
  readonly crossedBelowMinimum: boolean;
  /** True for exactly one refresh per climb back to the minimal balance or above. */
  readonly recoveredAboveMinimum: boolean;
}

/**
 * Reads the CA account's balance now, stores it with currency and read time, and says whether it
 * just crossed the module's minimal balance (once per crossing).
 *
 * @example
 *   await refreshModuleBalance(ctx, 1);
 *   // → { moduleId: 1, balance: { amountMinor: 40000, currency: 'USD' }, readAt: '2026-04-02T12:00:00.000Z',
 *   //     minBalance: { amountMinor: 50000, currency: 'USD' }, belowMinimum: true, crossedBelowMinimum: true, recoveredAboveMinimum: false }
 */
export async function refreshModuleBalance(
  ctx: ProvisioningContext,
  moduleId: number,
): Promise<RefreshedModuleBalance> {
  const module = await openProcessingModule(ctx, moduleId);
  let read;
  try {
    read = await module.balance({ reason: 'refresh' });
  } finally {
    module.close();
  }
  const row = await findModuleRow(ctx.db, moduleId);
  const minBalance =
    row.min_balance_minor === null || row.min_balance_currency === null
      ? null
      : { amountMinor: Number(row.min_balance_minor), currency: row.min_balance_currency };
  const belowMinimum =
    minBalance !== null && minBalance.currency === read.currency && read.amountMinor < minBalance.amountMinor;
  const k = provisioningKysely(ctx.db.kysely);
  await k
    .updateTable('processing_modules')
    .set({ balance_minor: read.amountMinor, balance_currency: read.currency, balance_read_at: read.readAt })
    .where('id', '=', moduleId)
    .execute();
  // A conditional flip: only the refresh that changes the stored state reports the crossing, and
  // tells the module's Department in the same transaction.
  const changed = await ctx.db.kysely.transaction().execute(async (trx) => {
    const flipped = await provisioningKysely(trx)
      .updateTable('processing_modules')
      .set({ balance_below_minimum: belowMinimum ? 1 : 0 })
      .where('id', '=', moduleId)
      .where('balance_below_minimum', '=', belowMinimum ? 0 : 1)
      .executeTakeFirst();
    const flippedNow = Number(flipped.numUpdatedRows) > 0;
    if (flippedNow && belowMinimum && minBalance && row.department_id !== null) {
      await recordDepartmentNotification(trx, {
        departmentId: Number(row.department_id),
        template: 'module-low-balance',
        variables: {
          moduleId,
          moduleName: row.name,
          balance: formatMoney({ amountMinor: read.amountMinor, currency: read.currency }),
          minBalance: formatMoney(minBalance),
          readAt: read.readAt,
          actionNeeded: true,
        },
        dedupeKey: `module-low-balance:module:${moduleId}:${read.readAt}`,
        now: ctx.clock.now(),
      });
    }
    return flippedNow;
  });
  return {
    moduleId,
    balance: { amountMinor: read.amountMinor, currency: read.currency },
    readAt: read.readAt,
    minBalance,
    belowMinimum,
    crossedBelowMinimum: changed && belowMinimum,
    recoveredAboveMinimum: changed && !belowMinimum,
  };
}
