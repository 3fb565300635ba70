import { lifecycleKysely, type LifecycleContext } from './lifecycle-context.ts';

/**
 * Whether a generation's CA order is being (or was) replaced by a switch of validation method: its
 * cancellation is then the switch's doing, not a rejection that fails the service.
 * @example await isSwitchedAway(ctx, 3) → true
 */
export async function isSwitchedAway(ctx: LifecycleContext, generationId: number): Promise<boolean> {
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('dcv_switches')
    .select('id')
    .where('from_generation_id', '=', generationId)
    .where('state', 'in', ['requested', 'done'])
    .executeTakeFirst();
  return row !== undefined;
}
