import { sql, type Transaction } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { readSslProductSettings } from '../billing/product-settings.ts';
import { isWithinWindow } from '../core/config/index.ts';
import { computeReissueValidity } from '../domain/index.ts';
import { formatUtcDate } from '../domain/utc-date.ts';
import { scanDuePages } from '../jobs/scan-due-pages.ts';
import { recordClientNotification } from './record-client-notification.ts';
import { markTriggerHandled, recordReissueIntent } from './record-reissue-intent.ts';
import { replanIfSettingsChanged } from './replan-reissues.ts';
import { subscriptionsKysely } from './subscriptions-kysely.ts';
import { validationStartAt } from './validation-start.ts';

/**
 * Within this much of the current certificate's notAfter a due reissue ignores the window and the
 * hourly cap: a missed window must never let a certificate expire.
 */
export const REISSUE_URGENT_MS = 24 * 3_600_000;

const HOUR_MS = 3_600_000;
/** A reissue that would add less than this to the coverage is not worth a certificate. */
const MIN_EXTENSION_MS = 60_000;

/** What one scan did, by service id. */
export interface ScanDueReissuesResult {
  readonly reissued: number[];
  /**
   * Of `reissued`, those started at `dcv_needed_from`, ahead of the trigger, because the next
   * certificate needs fresh validation: the CA holds the order while the client validates.
   */
  readonly startedForValidation: number[];
  readonly notified: number[];
  /** Policy `none`, or the service is no longer active: the trigger is closed without action. */
  readonly ignored: number[];
  /** Left for a later scan: outside the reissue window, or over the hourly cap. */
  readonly deferred: { readonly serviceId: number; readonly reason: 'window' | 'cap' }[];
  /** Another worker (or an earlier run) handled it first. */
  readonly skipped: number[];
  /** Current certificates whose trigger was planned again first (the Subscription block changed). */
  readonly replanned: number;
}

interface DueRow {
  readonly id: number;
  readonly service_id: number;
  readonly state: string;
  readonly ca_order_id: string | null;
  readonly not_before: string | null;
  readonly not_after: string | null;
  readonly reissue_at: string | null;
  readonly dcv_needed_from: string | null;
}

type ScanContext = Pick<AppContext, 'db' | 'clock' | 'config' | 'subscriptionOverride'>;

/**
 * Finds the current certificates whose reissue trigger is due (`reissue_at <= now`, not handled
 * yet; a keyset scan over the partial index, so the cost follows the due rows) and applies the SSL
 * product type's policy to each, exactly once per generation: `auto` decides a reissue (generation
 * seq+1 in `intent` and its `reissue` job, one transaction), `manual` records a "certificate
 * expiring" notification, `none` closes the trigger. Under `auto`, a certificate whose successor
 * needs fresh validation is reissued from its `dcv_needed_from` (SSLValidationLeadDays before the
 * trigger), so the CA holds the order and the client has that long to validate. Automatic reissues
 * wait for `ReissueWindow` and `ReissuePerHour` unless the certificate expires within 24 h. When
 * the Subscription block in force differs from the one the triggers were planned with, they are
 * planned again first (`replanReissues`).
 * @example await scanDueReissues(ctx) → { reissued: [7], startedForValidation: [], notified: [], ignored: [], deferred: [], skipped: [], replanned: 0 }
 */
export async function scanDueReissues(
  ctx: ScanContext,
  opts: { readonly pageSize?: number } = {},
): Promise<ScanDueReissuesResult> {
  const now = ctx.clock.now();
  const replanned = await replanIfSettingsChanged(ctx);
  const settings = await readSslProductSettings(ctx);
  const policy = settings.subscription.policy.value;
  const result: ScanDueReissuesResult = {
    reissued: [],
    startedForValidation: [],
    notified: [],
    ignored: [],
    deferred: [],
    skipped: [],
    replanned: replanned ?? 0,
  };
  const state = {
    startedThisHour: policy === 'auto' ? await countReissuesStartedSince(ctx, now.getTime() - HOUR_MS) : 0,
  };
  if (policy === 'auto') {
    await applyDue(ctx, 'dcv_needed_from', policy, now, result, state, opts.pageSize);
  }
  await applyDue(ctx, 'reissue_at', policy, now, result, state, opts.pageSize);
  return result;
}

async function applyDue(
  ctx: ScanContext,
  dueColumn: 'reissue_at' | 'dcv_needed_from',
  policy: 'auto' | 'manual' | 'none',
  now: Date,
  result: ScanDueReissuesResult,
  state: { startedThisHour: number },
  pageSize: number | undefined,
): Promise<void> {
  const cap = ctx.config.reissuePerHour;
  const window = ctx.config.reissueWindow;
  const early = dueColumn === 'dcv_needed_from';
  for await (const page of scanDuePages<DueRow>(ctx.db, {
    table: 'certificate_generations',
    dueColumn,
    where: early
      ? sql`dcv_needed_from is not null and reissue_handled_at is null`
      : sql`reissue_at is not null and reissue_handled_at is null`,
    columns: [
      'id',
      'service_id',
      'state',
      'ca_order_id',
      'not_before',
      'not_after',
      'reissue_at',
      'dcv_needed_from',
    ],
    now,
    ...(pageSize === undefined ? {} : { pageSize }),
  })) {
    for (const row of page) {
      const serviceId = Number(row.service_id);
      const generationId = Number(row.id);
      // Deferred in the early pass already: one entry, retried by a later scan.
      if (!early && result.deferred.some((d) => d.serviceId === serviceId)) continue;
      if (early && !(await startsNow(ctx, row, now))) continue;
      if (policy === 'auto') {
        const urgent =
          row.not_after !== null && new Date(row.not_after).getTime() - now.getTime() <= REISSUE_URGENT_MS;
        if (!urgent && window && !isWithinWindow(window, now)) {
          result.deferred.push({ serviceId, reason: 'window' });
          continue;
        }
        if (!urgent && cap !== undefined && state.startedThisHour >= cap) {
          result.deferred.push({ serviceId, reason: 'cap' });
          continue;
        }
      }
      const outcome = await handleTrigger(ctx, policy, generationId, serviceId, row, now);
      if (outcome === 'reissue') {
        result.reissued.push(serviceId);
        if (early) result.startedForValidation.push(serviceId);
        state.startedThisHour += 1;
      } else if (outcome === 'notified') result.notified.push(serviceId);
      else if (outcome === 'nothing') result.ignored.push(serviceId);
      else result.skipped.push(serviceId);
    }
  }
}

async function handleTrigger(
  ctx: ScanContext,
  policy: 'auto' | 'manual' | 'none',
  generationId: number,
  serviceId: number,
  row: DueRow,
  now: Date,
): Promise<'reissue' | 'notified' | 'nothing' | 'skipped'> {
  return ctx.db.kysely.transaction().execute(async (trx) => {
    const k = subscriptionsKysely(trx);
    const service = await k
      .selectFrom('services')
      .select(['id', 'status', 'client_id', 'common_name', 'paid_until'])
      .where('id', '=', serviceId)
      .executeTakeFirst();
    const live =
      row.state === 'issued' && service?.status === 'active' && extendsCoverage(row, service.paid_until, now);
    const how = !live || policy === 'none' ? 'nothing' : policy === 'manual' ? 'notified' : 'reissue';
    if (!(await markTriggerHandled(k, generationId, how, now))) return 'skipped';
    if (how === 'notified' && service) {
      await recordClientNotification(k, {
        clientId: Number(service.client_id),
        serviceId,
        generationId,
        template: 'certificate-expiring',
        variables: {
          commonName: service.common_name,
          caOrderId: row.ca_order_id,
          expirationDate: row.not_after ? formatUtcDate(new Date(row.not_after)) : null,
          actionNeeded: true,
        },
        now,
      });
    }
    // A reissue already on its way (started by hand) answers this trigger too.
    if (how === 'reissue') await recordReissueIntent(ctx, trx as unknown as Transaction<unknown>, serviceId);
    return how;
  });
}

/**
 * Whether a certificate due by `dcv_needed_from` starts its reissue now. If not (its validation is
 * still reusable, or it is before mid-life), `dcv_needed_from` moves to the right instant, or to
 * null when the trigger comes first, so each row is read early at most twice.
 */
async function startsNow(ctx: ScanContext, row: DueRow, now: Date): Promise<boolean> {
  if (!row.reissue_at || !row.not_before || !row.not_after || !row.dcv_needed_from) return true;
  const oldest = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('name_validations')
    .select((eb) => eb.fn.min<string>('validated_at').as('at'))
    .where('service_id', '=', Number(row.service_id))
    .executeTakeFirst();
  if (!oldest?.at) return true;
  const start = validationStartAt({
    notBefore: new Date(row.not_before),
    notAfter: new Date(row.not_after),
    reissueAt: new Date(row.reissue_at),
    dcvNeededFrom: new Date(row.dcv_needed_from),
    oldestValidation: new Date(oldest.at),
  });
  if (start !== null && start.getTime() <= now.getTime()) return true;
  await subscriptionsKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ dcv_needed_from: start?.toISOString() ?? null, updated_at: now.toISOString() })
    .where('id', '=', Number(row.id))
    .where('reissue_handled_at', 'is', null)
    .execute();
  return false;
}

async function countReissuesStartedSince(ctx: ScanContext, since: number): Promise<number> {
  const row = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('certificate_generations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'reissue')
    .where('created_at', '>', new Date(since).toISOString())
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Whether a certificate issued now would end later than the current one: a CA that ends the last
 * certificate a second before paid until leaves a trigger that no reissue can answer (each would
 * end at the same instant, triggering again at mid-life, forever).
 */
function extendsCoverage(row: DueRow, paidUntil: string | null, now: Date): boolean {
  if (paidUntil === null || row.not_after === null) return false;
  if (now.getTime() >= new Date(paidUntil).getTime()) return false;
  const reach = computeReissueValidity(now, new Date(paidUntil)).notAfter.getTime();
  return reach - new Date(row.not_after).getTime() > MIN_EXTENSION_MS;
}
