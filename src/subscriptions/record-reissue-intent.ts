import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import type { SubscriptionSchema } from './subscriptions-kysely.ts';
import { subscriptionsKysely } from './subscriptions-kysely.ts';

/** The job that places one reissue at the CA: `reissue:<service id>:<seq>`. */
export const REISSUE_JOB = 'reissue';

export interface ReissuePayload {
  readonly generationId: number;
}

export function reissueJobKey(serviceId: number, seq: number): string {
  return `${REISSUE_JOB}:${serviceId}:${seq}`;
}

/** How a generation's trigger was handled: reissued, the client notified, or nothing to do. */
export type ReissueHandling = 'reissue' | 'notified' | 'nothing';

/**
 * Marks a generation's trigger handled, only if nobody did yet: the first of two racing workers
 * gets `true`, the other `false` (a conditional update of one row, on both dialects).
 */
export async function markTriggerHandled(
  k: Kysely<SubscriptionSchema>,
  generationId: number,
  how: ReissueHandling,
  now: Date,
): Promise<boolean> {
  const updated = await k
    .updateTable('certificate_generations')
    .set({ reissue_handled_at: now.toISOString(), reissue_handled_as: how, updated_at: now.toISOString() })
    .where('id', '=', generationId)
    .where('reissue_handled_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export interface RecordedReissue {
  readonly generationId: number;
  readonly seq: number;
}

/**
 * Inserts the next generation of a service as a reissue in state `intent` and its job
 * `reissue:<service>:<seq>`, in the caller's transaction. The next seq is one past the highest:
 * a second decision at the same time hits the unique `(service, seq)` and gets null instead of
 * ordering twice; so does a service whose latest generation is still on its way.
 * @example await recordReissueIntent(ctx, trx, 7) → { generationId: 12, seq: 3 }
 */
export async function recordReissueIntent(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  trx: Transaction<unknown> | Kysely<unknown>,
  serviceId: number,
): Promise<RecordedReissue | null> {
  const k = subscriptionsKysely(trx);
  const now = ctx.clock.now();
  const last = await k
    .selectFrom('certificate_generations')
    .select(['seq', 'state'])
    .where('service_id', '=', serviceId)
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  if (!last || ['intent', 'ordered', 'awaiting_validation'].includes(last.state)) return null;
  const seq = last.seq + 1;
  const inserted = await k
    .insertInto('certificate_generations')
    .values({
      service_id: serviceId,
      seq,
      kind: 'reissue',
      state: 'intent',
      hold_count: 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['service_id', 'seq']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  const generationId = Number(inserted.id);
  const payload: ReissuePayload = { generationId };
  await enqueueJob(
    ctx.db,
    { kind: REISSUE_JOB, key: reissueJobKey(serviceId, seq), payload, runAt: now, now },
    trx as never,
  );
  return { generationId, seq };
}
