import type { AppContext, SubscriptionPolicy } from '../app-context.ts';
import { readSslProductSettings } from '../billing/product-settings.ts';
import { computeReissueTrigger, limitsOn } from '../domain/index.ts';
import { subscriptionsKysely } from './subscriptions-kysely.ts';

const DAY_MS = 86_400_000;
/** As when the trigger is planned at issue: the CA may end the last certificate a second short. */
const LAST_CERTIFICATE_SLACK_MS = 60_000;
const BATCH = 500;

/** The `app_settings` key that records what the current triggers were planned with. */
export const PLANNED_WITH_KEY = 'subscriptions.reissue-planned-with';

/** The settings a reissue trigger depends on. */
export interface ReissuePlanSettings {
  readonly policy: SubscriptionPolicy;
  readonly before: number;
  readonly leadDays: number;
}

type ReplanContext = Pick<AppContext, 'db' | 'clock' | 'config' | 'subscriptionOverride'>;

/** The Subscription block in force (configuration over panel) and the validation lead time. */
export async function effectivePlanSettings(ctx: ReplanContext): Promise<ReissuePlanSettings> {
  const settings = await readSslProductSettings(ctx);
  return {
    policy: settings.subscription.policy.value,
    before: settings.subscription.before.value,
    leadDays: ctx.config.sslValidationLeadDays,
  };
}

/**
 * Plans the triggers again when the settings in force differ from those recorded at the last
 * planning (a panel change of the Subscription block, or `etc/certbill.conf` changed between two
 * starts), then records them. Returns how many certificates were planned again, or null when
 * nothing changed. The first run after an upgrade, with nothing recorded, plans everything once.
 * @example await replanIfSettingsChanged(ctx) → 120
 */
export async function replanIfSettingsChanged(ctx: ReplanContext): Promise<number | null> {
  const wanted = await effectivePlanSettings(ctx);
  const k = subscriptionsKysely(ctx.db.kysely);
  const row = await k
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', PLANNED_WITH_KEY)
    .executeTakeFirst();
  if (row && row.value === JSON.stringify(wanted)) return null;
  const count = await replanReissues(ctx, wanted);
  const now = ctx.clock.now().toISOString();
  await k
    .insertInto('app_settings')
    .values({ key: PLANNED_WITH_KEY, value: JSON.stringify(wanted), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(wanted), updated_at: now }))
    .execute();
  return count;
}

/**
 * Recomputes `reissue_at` and `dcv_needed_from` of every current certificate whose trigger is not
 * handled yet, in batches of 500 by id, exactly as the issue plans them: `before` days before the
 * real notAfter, clamped to mid-life; null under policy `none` and for the last certificate of the
 * paid period; fresh validation from `leadDays` before the trigger when a name's validation will
 * be too old to reuse that day.
 * @example await replanReissues(ctx, { policy: 'auto', before: 20, leadDays: 14 }) → 120
 */
export async function replanReissues(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  settings: ReissuePlanSettings,
): Promise<number> {
  const k = subscriptionsKysely(ctx.db.kysely);
  let afterId = 0;
  let count = 0;
  for (;;) {
    const rows = await k
      .selectFrom('certificate_generations as g')
      .innerJoin('services as s', 's.id', 'g.service_id')
      .select(['g.id', 'g.service_id', 'g.not_before', 'g.not_after', 'g.reissue_at', 'g.dcv_needed_from'])
      .select('s.paid_until')
      .where('g.state', '=', 'issued')
      .where('g.reissue_handled_at', 'is', null)
      .where('g.id', '>', afterId)
      .orderBy('g.id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return count;
    for (const row of rows) {
      const plan = await planTrigger(ctx, settings, {
        serviceId: Number(row.service_id),
        notBefore: row.not_before,
        notAfter: row.not_after,
        paidUntil: row.paid_until,
      });
      const reissueAt = plan.reissueAt?.toISOString() ?? null;
      const dcvNeededFrom = plan.dcvNeededFrom?.toISOString() ?? null;
      if (reissueAt === row.reissue_at && dcvNeededFrom === row.dcv_needed_from) continue;
      await k
        .updateTable('certificate_generations')
        .set({
          reissue_at: reissueAt,
          dcv_needed_from: dcvNeededFrom,
          updated_at: ctx.clock.now().toISOString(),
        })
        .where('id', '=', Number(row.id))
        .where('state', '=', 'issued')
        .where('reissue_handled_at', 'is', null)
        .execute();
      count += 1;
    }
    afterId = Number(rows[rows.length - 1]!.id);
  }
}

async function planTrigger(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  settings: ReissuePlanSettings,
  cert: {
    serviceId: number;
    notBefore: string | null;
    notAfter: string | null;
    paidUntil: string | null;
  },
): Promise<{ reissueAt: Date | null; dcvNeededFrom: Date | null }> {
  if (settings.policy === 'none' || !cert.notAfter || !cert.paidUntil) {
    return { reissueAt: null, dcvNeededFrom: null };
  }
  const notAfter = new Date(cert.notAfter);
  const paidUntil = new Date(cert.paidUntil);
  if (paidUntil.getTime() - notAfter.getTime() <= LAST_CERTIFICATE_SLACK_MS) {
    return { reissueAt: null, dcvNeededFrom: null };
  }
  const reissueAt = computeReissueTrigger({
    issuedAt: new Date(cert.notBefore ?? cert.notAfter),
    notAfter,
    beforeDays: settings.before,
    paidUntil,
  });
  if (!reissueAt) return { reissueAt: null, dcvNeededFrom: null };
  const validations = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('name_validations')
    .select('validated_at')
    .where('service_id', '=', cert.serviceId)
    .execute();
  if (validations.length === 0) return { reissueAt, dcvNeededFrom: null };
  const oldest = Math.min(...validations.map((v) => new Date(v.validated_at).getTime()));
  if (oldest + limitsOn(reissueAt).dcvReuseDays * DAY_MS > reissueAt.getTime()) {
    return { reissueAt, dcvNeededFrom: null };
  }
  const from = Math.max(ctx.clock.now().getTime(), reissueAt.getTime() - settings.leadDays * DAY_MS);
  return { reissueAt, dcvNeededFrom: new Date(Math.min(from, reissueAt.getTime())) };
}
