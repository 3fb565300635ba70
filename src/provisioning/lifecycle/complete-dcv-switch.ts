import { getService } from '../../billing/service-repository.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import { openProcessingModule } from '../open-processing-module.ts';
import { getGeneration } from './generation-repository.ts';
import { lifecycleKysely, reportStep, type LifecycleContext } from './lifecycle-context.ts';
import { applyOutcome } from './poll-ca-order.ts';
import { PLACE_ORDER_JOB, type PlaceOrderPayload } from './record-order-intent.ts';

/** The job that finishes a recorded switch of validation method: `dcv-switch:<switch id>`. */
export const DCV_SWITCH_JOB = 'dcv-switch';

export interface DcvSwitchPayload {
  readonly switchId: number;
}

export interface CompletedDcvSwitch {
  readonly state: 'done' | 'requested' | 'abandoned';
  readonly toGenerationId: number | null;
  readonly message: string;
}

/**
 * Finishes a recorded switch of validation method (see `switchValidationMethod`): looks at the
 * pending CA order once more (an order the CA issued meanwhile is kept and the switch abandoned,
 * since GlobalSign would also cancel an issued order), cancels it at the CA (an order already
 * cancelled counts as done), then in one transaction closes the old generation (`failed`, with the
 * reason, its CA order id kept as history), records the service's new method, inserts the next
 * generation in `intent` and its `place-order` job, and marks the switch `done`. Safe to repeat and
 * to run beside another worker: the conditional update of the switch lets one transaction through.
 * @example await completeDcvSwitch(ctx, 4) → { state: 'done', toGenerationId: 9, message: 'Order CESM…1 is cancelled; …' }
 */
export async function completeDcvSwitch(
  ctx: LifecycleContext,
  switchId: number,
): Promise<CompletedDcvSwitch> {
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('dcv_switches')
    .selectAll()
    .where('id', '=', switchId)
    .executeTakeFirstOrThrow();
  if (row.state !== 'requested') {
    return {
      state: row.state as CompletedDcvSwitch['state'],
      toGenerationId: row.to_generation_id === null ? null : Number(row.to_generation_id),
      message: row.message ?? '',
    };
  }
  const generation = await getGeneration(ctx.db.kysely, Number(row.from_generation_id));
  const service = await getService(ctx.db.kysely, Number(row.service_id));
  const caOrderId = row.from_ca_order_id;
  if (service.status === 'cancelled') {
    return abandon(ctx, switchId, `Service ${service.id} was cancelled before the switch finished.`);
  }
  if (!['ordered', 'awaiting_validation'].includes(generation.state) || generation.moduleId === null) {
    return abandon(
      ctx,
      switchId,
      `Order ${caOrderId} is no longer waiting for validation (${generation.state}); nothing was switched.`,
    );
  }

  const module = await openProcessingModule(ctx, generation.moduleId);
  try {
    const outcome = await module.fetchOrder({ caOrderId });
    if (outcome.status === 'issued') {
      await markAbandoned(ctx, switchId, issuedFirst(caOrderId));
      await applyOutcome(ctx, generation, outcome);
      return { state: 'abandoned', toGenerationId: null, message: issuedFirst(caOrderId) };
    }
    if (outcome.status === 'pending') await module.cancel({ caOrderId });
  } finally {
    module.close();
  }
  reportStep(ctx, 'switch-cancelled', generation.id);

  const to = row.to_method;
  const message = `Order ${caOrderId} is cancelled at the CA; the certificate is ordered again with ${to} validation${row.approver_email ? ` (approver ${row.approver_email})` : ''}.`;
  const now = ctx.clock.now();
  const at = now.toISOString();
  const toGenerationId = await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    const claimed = await k
      .updateTable('dcv_switches')
      .set({ state: 'done', message, finished_at: at })
      .where('id', '=', switchId)
      .where('state', '=', 'requested')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return null;
    const closed = await k
      .updateTable('certificate_generations')
      .set({
        state: 'failed',
        validation: null,
        reissue_at: null,
        last_error: `Replaced: the validation switched from ${row.from_method ?? 'its method'} to ${to}; CA order ${caOrderId} is cancelled.`,
        updated_at: at,
      })
      .where('id', '=', generation.id)
      .where('state', 'in', ['ordered', 'awaiting_validation'])
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) === 0) {
      // A poll recorded the certificate between the last look and the cancel: it stays the service's.
      await k
        .updateTable('dcv_switches')
        .set({ state: 'abandoned', message: issuedFirst(caOrderId) })
        .where('id', '=', switchId)
        .execute();
      return null;
    }
    await k
      .updateTable('services')
      .set({ dcv_method: to, dcv_email: row.approver_email, updated_at: at })
      .where('id', '=', service.id)
      .execute();
    const last = await k
      .selectFrom('certificate_generations')
      .select(({ fn }) => fn.max('seq').as('seq'))
      .where('service_id', '=', service.id)
      .executeTakeFirstOrThrow();
    const inserted = await k
      .insertInto('certificate_generations')
      .values({
        service_id: service.id,
        seq: Number(last.seq) + 1,
        kind: generation.kind,
        state: 'intent',
        dcv_method: to,
        approver_email: row.approver_email,
        hold_count: 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = Number(inserted.id);
    await k.updateTable('dcv_switches').set({ to_generation_id: id }).where('id', '=', switchId).execute();
    const payload: PlaceOrderPayload = { generationId: id };
    await enqueueJob(
      ctx.db,
      { kind: PLACE_ORDER_JOB, key: `${PLACE_ORDER_JOB}:${id}`, payload, runAt: now, now },
      trx,
    );
    return id;
  });
  if (toGenerationId === null) return completeDcvSwitch(ctx, switchId);
  reportStep(ctx, 'switch-reordered', toGenerationId);
  return { state: 'done', toGenerationId, message };
}

function issuedFirst(caOrderId: string): string {
  return `The CA issued order ${caOrderId} before it could be cancelled; the service keeps that certificate and nothing was switched.`;
}

async function markAbandoned(ctx: LifecycleContext, switchId: number, message: string): Promise<void> {
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('dcv_switches')
    .set({ state: 'abandoned', message, finished_at: ctx.clock.now().toISOString() })
    .where('id', '=', switchId)
    .where('state', '=', 'requested')
    .execute();
}

async function abandon(
  ctx: LifecycleContext,
  switchId: number,
  message: string,
): Promise<CompletedDcvSwitch> {
  await markAbandoned(ctx, switchId, message);
  return { state: 'abandoned', toGenerationId: null, message };
}
