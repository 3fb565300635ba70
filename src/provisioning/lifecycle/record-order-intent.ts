import type { AppContext } from '../../app-context.ts';
import type { ProvisioningGateway } from '../../billing/provisioning-gateway.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import { lifecycleKysely } from './lifecycle-context.ts';

export const PLACE_ORDER_JOB = 'place-order';

export interface PlaceOrderPayload {
  readonly generationId: number;
}

export interface RecordedIntent {
  readonly generationId: number;
  /** False when the service already had its first generation (a repeated call). */
  readonly created: boolean;
}

/**
 * Decides to order the first certificate of a paid service: inserts generation 1 in state `intent`
 * and the job `place-order:<generation id>` in one transaction. Repeating it changes nothing (the
 * `(service, seq)` pair and the job key are unique); a service that is no longer `ordered` gets
 * nothing.
 * @example await recordOrderIntent(ctx, 7) → { generationId: 3, created: true }
 */
export async function recordOrderIntent(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  serviceId: number,
): Promise<RecordedIntent | null> {
  const now = ctx.clock.now();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    const service = await k
      .selectFrom('services')
      .select(['id', 'status', 'kind'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    const existing = await k
      .selectFrom('certificate_generations')
      .select('id')
      .where('service_id', '=', serviceId)
      .where('seq', '=', 1)
      .executeTakeFirst();
    if (!existing && service?.status !== 'ordered') return null;
    let generationId = existing ? Number(existing.id) : null;
    let created = false;
    if (generationId === null) {
      const inserted = await k
        .insertInto('certificate_generations')
        .values({
          service_id: serviceId,
          seq: 1,
          kind: service?.kind === 'renewal' ? 'renewal' : 'new',
          state: 'intent',
          hold_count: 0,
          created_at: now.toISOString(),
          updated_at: now.toISOString(),
        })
        .onConflict((oc) => oc.columns(['service_id', 'seq']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        generationId = Number(inserted.id);
        created = true;
      } else {
        const row = await k
          .selectFrom('certificate_generations')
          .select('id')
          .where('service_id', '=', serviceId)
          .where('seq', '=', 1)
          .executeTakeFirstOrThrow();
        generationId = Number(row.id);
      }
    }
    const payload: PlaceOrderPayload = { generationId };
    await enqueueJob(
      ctx.db,
      { kind: PLACE_ORDER_JOB, key: `${PLACE_ORDER_JOB}:${generationId}`, payload, runAt: now, now },
      trx,
    );
    return { generationId, created };
  });
}

/**
 * Records intents for every `ordered` service that has no generation yet: the cover for a crash
 * between billing's commit and its call to the gateway. Run at start and periodically.
 * @example await sweepOrderedServices(ctx) → { recorded: [12] }
 */
export async function sweepOrderedServices(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  opts: { limit?: number } = {},
): Promise<{ recorded: number[] }> {
  const k = lifecycleKysely(ctx.db.kysely);
  const rows = await k
    .selectFrom('services')
    .select('services.id')
    .where('services.status', '=', 'ordered')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('certificate_generations')
            .select('certificate_generations.id')
            .whereRef('certificate_generations.service_id', '=', 'services.id'),
        ),
      ),
    )
    .orderBy('services.id')
    .limit(opts.limit ?? 1000)
    .execute();
  const recorded: number[] = [];
  for (const row of rows) {
    const intent = await recordOrderIntent(ctx, Number(row.id));
    if (intent?.created) recorded.push(Number(row.id));
  }
  return { recorded };
}

export const CANCEL_ORDER_JOB = 'cancel-order';

export interface CancelOrderPayload {
  readonly serviceId: number;
}

/**
 * The provisioning gateway billing calls after its commits: a paid service gets its intent and
 * `place-order` job; a cancelled one gets a `cancel-order` job. Both are safe to call twice.
 * @example const gateway = createLifecycleGateway(ctx); await gateway.serviceOrdered(7);
 */
export function createLifecycleGateway(ctx: Pick<AppContext, 'db' | 'clock'>): ProvisioningGateway {
  return {
    async serviceOrdered(serviceId) {
      await recordOrderIntent(ctx, serviceId);
    },
    async serviceCancelled(serviceId) {
      const now = ctx.clock.now();
      const payload: CancelOrderPayload = { serviceId };
      await enqueueJob(ctx.db, {
        kind: CANCEL_ORDER_JOB,
        key: `${CANCEL_ORDER_JOB}:${serviceId}`,
        payload,
        runAt: now,
        now,
      });
    },
  };
}
