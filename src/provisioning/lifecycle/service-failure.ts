import type { Transaction } from 'kysely';
import { openTask } from '../../jobs/open-task.ts';
import { recordProcessingError } from '../../notifications/record-certificate-event.ts';
import { lifecycleKysely, type LifecycleContext, type LifecycleSchema } from './lifecycle-context.ts';
import { failureLogExcerpt, logToModule } from './module-log-excerpt.ts';

/**
 * Ends a generation in `failed` and, for a service still waiting for its first certificate, the
 * service too, with a task for the module's Department saying what a person must do; one
 * transaction. A service whose current certificate is valid stays active (only the reissue failed).
 * The message goes to the module's log too, and the task quotes the log's last lines about the order.
 */
export async function failGeneration(
  ctx: LifecycleContext,
  input: {
    readonly generationId: number;
    readonly serviceId: number;
    readonly departmentId: number | null;
    readonly title: string;
    readonly message: string;
  },
): Promise<void> {
  const now = ctx.clock.now().toISOString();
  await logToModule(ctx, input.generationId, 'error', input.message).catch(() => undefined);
  const excerpt = await failureLogExcerpt(ctx, { generationId: input.generationId });
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    await k
      .updateTable('certificate_generations')
      .set({ state: 'failed', last_error: input.message, reissue_at: null, updated_at: now })
      .where('id', '=', input.generationId)
      .where('state', 'in', ['intent', 'ordered', 'awaiting_validation'])
      .execute();
    await k
      .updateTable('services')
      .set({ status: 'failed', updated_at: now })
      .where('id', '=', input.serviceId)
      .where('status', 'in', ['ordered', 'in_progress'])
      .execute();
    await openTask(
      ctx.db,
      {
        kind: 'certificate-failed',
        title: input.title,
        body: input.message + excerpt,
        related: `service:${input.serviceId}`,
        dedupeKey: `certificate-failed:generation:${input.generationId}`,
        departmentId: input.departmentId,
        now: ctx.clock.now(),
      },
      trx as unknown as Transaction<LifecycleSchema>,
    );
    await recordProcessingError(trx, {
      generationId: input.generationId,
      serviceId: input.serviceId,
      departmentId: input.departmentId,
      title: input.title,
      message: input.message,
      now: ctx.clock.now(),
    });
  });
}
