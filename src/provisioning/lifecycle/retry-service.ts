import { AppError } from '../../core/errors/index.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import type { AppContext } from '../../app-context.ts';
import { lifecycleKysely } from './lifecycle-context.ts';
import { PLACE_ORDER_JOB, type PlaceOrderPayload } from './record-order-intent.ts';

export interface RetriedService {
  readonly serviceId: number;
  /** The new generation, in `intent` with its `place-order` job. */
  readonly generationId: number;
  readonly seq: number;
  /** The `certificate-failed` tasks of the service this closed. */
  readonly closedTaskIds: readonly number[];
}

/**
 * Orders the certificate of a failed service again, once a person has fixed what failed it (a
 * module's login, the CA's refusal explained to the client): the service goes back to `ordered`,
 * the next generation is inserted in `intent` (same kind as the failed one) with its `place-order`
 * job, and the service's open `certificate-failed` tasks close — one transaction. The client is not
 * charged again. Racing callers get one retry: the service's status is the guard. Fails with
 * BILLING_SERVICE_NOT_FOUND or LIFECYCLE_RETRY_REFUSED (the service is not failed).
 * @example await retryService(ctx, 7) → { serviceId: 7, generationId: 12, seq: 2, closedTaskIds: [4] }
 */
export async function retryService(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  serviceId: number,
): Promise<RetriedService> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    const service = await k
      .selectFrom('services')
      .select(['id', 'status', 'kind'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    if (!service) {
      throw new AppError('BILLING_SERVICE_NOT_FOUND', `Service ${serviceId} does not exist.`, { serviceId });
    }
    const reopened = await k
      .updateTable('services')
      .set({ status: 'ordered', updated_at: at })
      .where('id', '=', serviceId)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    if (Number(reopened.numUpdatedRows) !== 1) {
      throw new AppError(
        'LIFECYCLE_RETRY_REFUSED',
        `Service ${serviceId} is ${service.status.replace('_', ' ')}, not failed; only a failed service is ordered again.`,
        { serviceId, status: service.status },
      );
    }
    const last = await k
      .selectFrom('certificate_generations')
      .select(['seq', 'kind', 'state'])
      .where('service_id', '=', serviceId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last && ['intent', 'ordered', 'awaiting_validation'].includes(last.state)) {
      throw new AppError(
        'LIFECYCLE_RETRY_REFUSED',
        `Service ${serviceId} already has an order on its way (generation ${last.seq}, ${last.state}).`,
        { serviceId, status: service.status },
      );
    }
    const seq = (last ? Number(last.seq) : 0) + 1;
    const inserted = await k
      .insertInto('certificate_generations')
      .values({
        service_id: serviceId,
        seq,
        kind: last?.kind ?? (service.kind === 'renewal' ? 'renewal' : 'new'),
        state: 'intent',
        hold_count: 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const generationId = Number(inserted.id);
    const payload: PlaceOrderPayload = { generationId };
    await enqueueJob(
      ctx.db,
      { kind: PLACE_ORDER_JOB, key: `${PLACE_ORDER_JOB}:${generationId}`, payload, runAt: now, now },
      trx,
    );
    const tasks = await k
      .selectFrom('tasks')
      .select('id')
      .where('related', '=', `service:${serviceId}`)
      .where('kind', '=', 'certificate-failed')
      .where('state', '=', 'open')
      .execute();
    const closedTaskIds = tasks.map((t) => Number(t.id));
    if (closedTaskIds.length) {
      await k
        .updateTable('tasks')
        .set({ state: 'closed', closed_at: at })
        .where('id', 'in', closedTaskIds)
        .execute();
    }
    return { serviceId, generationId, seq, closedTaskIds };
  });
}
