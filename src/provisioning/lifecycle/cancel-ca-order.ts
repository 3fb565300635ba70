import { openProcessingModule } from '../open-processing-module.ts';
import { listGenerations } from './generation-repository.ts';
import { lifecycleKysely, type LifecycleContext } from './lifecycle-context.ts';

/**
 * After billing cancelled a service: a generation not yet placed is failed (so it is never
 * placed), and a CA order not yet issued is cancelled at the CA. Safe to repeat (the CA's "already
 * cancelled" counts as done).
 * @example await cancelCaOrder(ctx, 7) → { cancelledCaOrders: ['CESM2604020001'] }
 */
export async function cancelCaOrder(
  ctx: LifecycleContext,
  serviceId: number,
): Promise<{ cancelledCaOrders: string[] }> {
  const now = ctx.clock.now().toISOString();
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ state: 'failed', last_error: 'The service was cancelled.', updated_at: now })
    .where('service_id', '=', serviceId)
    .where('state', '=', 'intent')
    .where('place_started_at', 'is', null)
    .execute();
  const cancelled: string[] = [];
  for (const g of await listGenerations(ctx.db.kysely, serviceId)) {
    if (!['ordered', 'awaiting_validation'].includes(g.state) || !g.caOrderId || g.moduleId === null)
      continue;
    const module = await openProcessingModule(ctx, g.moduleId);
    try {
      await module.cancel({ caOrderId: g.caOrderId });
    } finally {
      module.close();
    }
    await lifecycleKysely(ctx.db.kysely)
      .updateTable('certificate_generations')
      .set({
        state: 'failed',
        last_error: 'The service was cancelled; the CA order is cancelled.',
        updated_at: now,
      })
      .where('id', '=', g.id)
      .execute();
    cancelled.push(g.caOrderId);
  }
  return { cancelledCaOrders: cancelled };
}
