import type { Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { PRODUCT_FAMILIES, type ProductFamily } from '../provisioning/processing-module.ts';
import { markTriggerHandled, recordReissueIntent } from './record-reissue-intent.ts';
import { createSubscriptionError } from './subscription-error.ts';
import { subscriptionsKysely } from './subscriptions-kysely.ts';

export interface ReissueNowInput {
  /** These services; or every active one with `allActive`. */
  readonly serviceIds?: readonly number[];
  readonly allActive?: boolean;
  /** Only certificates whose CA order is on this processing module. */
  readonly moduleId?: number;
  readonly product?: ProductFamily;
  /** List what would be reissued without deciding anything. */
  readonly dryRun?: boolean;
}

export interface ReissueNowEntry {
  readonly serviceId: number;
  readonly commonName: string | null;
  readonly product: string | null;
  readonly moduleId: number | null;
  readonly caOrderId: string | null;
  /** `reissue`: decided now; `would-reissue`: dry run; `skipped`: see `reason`. */
  readonly action: 'reissue' | 'would-reissue' | 'skipped';
  readonly seq?: number;
  readonly reason?: string;
}

type ReissueNowContext = Pick<AppContext, 'db' | 'clock'>;

const PAGE = 500;

/**
 * "Reissue now" for a set of services (after a CA incident, say), with the guarantees of the
 * automatic policy: each service gets at most one new generation (`reissue` kind, in `intent`, with
 * its `reissue:<service>:<seq>` job) per decision, racing callers included; a service whose
 * latest generation is still on its way is skipped and said so. The window and the hourly cap of
 * automatic reissues do not apply: an operator asked for it.
 * @example await reissueNow(ctx, { serviceIds: [7, 8], dryRun: true })
 *   → { services: [{ serviceId: 7, action: 'would-reissue', … }, { serviceId: 8, action: 'skipped', reason: 'a reissue is already in progress (generation 3, ordered)' }] }
 */
export async function reissueNow(
  ctx: ReissueNowContext,
  input: ReissueNowInput,
): Promise<{ services: ReissueNowEntry[] }> {
  const byIds = input.serviceIds !== undefined && input.serviceIds.length > 0;
  if (byIds === Boolean(input.allActive)) {
    throw createSubscriptionError(
      'SUBSCRIPTION_SELECTION_REQUIRED',
      'Say which services to reissue: --service <id>[,…] or --all-active (one of them).',
    );
  }
  if (input.product !== undefined && !PRODUCT_FAMILIES.includes(input.product)) {
    throw createSubscriptionError(
      'SUBSCRIPTION_SELECTION_REQUIRED',
      `Product ${String(input.product)} is not known; allowed: ${PRODUCT_FAMILIES.join(', ')}.`,
    );
  }
  const services: ReissueNowEntry[] = [];
  for await (const id of selectServiceIds(ctx, input)) {
    services.push(await reissueOne(ctx, id, input));
  }
  return { services };
}

async function* selectServiceIds(ctx: ReissueNowContext, input: ReissueNowInput): AsyncGenerator<number> {
  if (input.serviceIds?.length) {
    yield* [...new Set(input.serviceIds)];
    return;
  }
  let after = 0;
  for (;;) {
    let query = subscriptionsKysely(ctx.db.kysely)
      .selectFrom('services')
      .select('id')
      .where('status', '=', 'active')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE);
    if (input.product) query = query.where('product', '=', input.product);
    const rows = await query.execute();
    for (const row of rows) yield Number(row.id);
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1]?.id);
  }
}

async function reissueOne(
  ctx: ReissueNowContext,
  serviceId: number,
  input: ReissueNowInput,
): Promise<ReissueNowEntry> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const k = subscriptionsKysely(trx);
    const service = await k
      .selectFrom('services')
      .select(['id', 'status', 'common_name', 'product', 'paid_until'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    const generations = await k
      .selectFrom('certificate_generations')
      .select(['id', 'seq', 'state', 'module_id', 'ca_order_id'])
      .where('service_id', '=', serviceId)
      .orderBy('seq')
      .execute();
    const current = generations.filter((g) => g.state === 'issued').at(-1);
    const last = generations.at(-1);
    const entry = {
      serviceId,
      commonName: service?.common_name ?? null,
      product: service?.product ?? null,
      moduleId: current?.module_id == null ? null : Number(current.module_id),
      caOrderId: current?.ca_order_id ?? null,
    };
    const skip = (reason: string): ReissueNowEntry => ({ ...entry, action: 'skipped', reason });
    if (!service) return skip('no such service');
    if (input.product && service.product !== input.product) return skip(`product is ${service.product}`);
    if (service.status !== 'active') return skip(`the service is ${service.status}, not active`);
    if (!current?.ca_order_id) return skip('no issued certificate with a CA order');
    if (input.moduleId !== undefined && entry.moduleId !== input.moduleId) {
      return skip(`its CA order is on module ${entry.moduleId}`);
    }
    if (service.paid_until && new Date(service.paid_until).getTime() <= ctx.clock.now().getTime()) {
      return skip('the paid period is over');
    }
    if (last && ['intent', 'ordered', 'awaiting_validation'].includes(last.state)) {
      return skip(`a reissue is already in progress (generation ${last.seq}, ${last.state})`);
    }
    if (input.dryRun) return { ...entry, action: 'would-reissue', seq: (last?.seq ?? 0) + 1 };
    const recorded = await recordReissueIntent(ctx, trx as unknown as Transaction<unknown>, serviceId);
    if (!recorded) return skip('another reissue was decided at the same time');
    // Its trigger, when it comes, is answered by this reissue.
    await markTriggerHandled(k, Number(current.id), 'reissue', ctx.clock.now());
    return { ...entry, action: 'reissue', seq: recorded.seq };
  });
}
