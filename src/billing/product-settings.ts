import type { AppContext, SubscriptionPolicy } from '../app-context.ts';
import { AppError } from '../core/errors/index.ts';
import { assertBeforeDays } from '../domain/index.ts';
import { SSL_PRODUCT_TYPE } from './certificate-products.ts';

export const SUBSCRIPTION_POLICIES = [
  'auto',
  'manual',
  'none',
] as const satisfies readonly SubscriptionPolicy[];

/** A setting as it applies, with where the value comes from: `panel` or a file line / variable. */
export interface EffectiveSetting<T> {
  readonly value: T;
  readonly source: string;
  /** What the panel stores; differs from `value` when the configuration overrides it. */
  readonly panelValue: T;
}

export interface SslProductSettings {
  readonly code: string;
  readonly name: string;
  /** The Subscription block: what the reissue policy does and how many days before expiry. */
  readonly subscription: {
    readonly policy: EffectiveSetting<SubscriptionPolicy>;
    readonly before: EffectiveSetting<number>;
    /** True when the configuration file or the environment overrides any of them. */
    readonly overridden: boolean;
  };
}

type SettingsContext = Pick<AppContext, 'db' | 'clock' | 'subscriptionOverride'>;

/**
 * The "SSL certificates" product type with its Subscription block as it applies: a value from
 * `etc/certbill.conf` (or the environment) wins over the panel and says so.
 * @example
 *   await readSslProductSettings(ctx) → { subscription: { policy: { value: 'auto', source: 'panel', panelValue: 'auto' },
 *     before: { value: 20, source: 'etc/certbill.conf:3', panelValue: 10 }, overridden: true }, … }
 */
export async function readSslProductSettings(ctx: SettingsContext): Promise<SslProductSettings> {
  const row = await ctx.db.kysely
    .selectFrom('product_types')
    .selectAll()
    .where('code', '=', SSL_PRODUCT_TYPE)
    .executeTakeFirstOrThrow();
  const panelPolicy = row.subscription_policy as SubscriptionPolicy;
  const panelBefore = row.subscription_before_days;
  const override = ctx.subscriptionOverride;
  return {
    code: row.code,
    name: row.name,
    subscription: {
      policy: override.policy
        ? { value: override.policy.value, source: override.policy.source, panelValue: panelPolicy }
        : { value: panelPolicy, source: 'panel', panelValue: panelPolicy },
      before: override.before
        ? { value: override.before.value, source: override.before.source, panelValue: panelBefore }
        : { value: panelBefore, source: 'panel', panelValue: panelBefore },
      overridden: Boolean(override.policy || override.before),
    },
  };
}

export interface SslProductSettingsUpdate {
  readonly policy?: string;
  /** Days before expiration, 1..200 (default 10). */
  readonly before?: number;
}

/**
 * Stores the panel's Subscription block; a value the configuration overrides is stored but does
 * not apply until the override is removed (the answer says so).
 * @example await updateSslProductSettings(ctx, { policy: 'manual', before: 15 })
 */
export async function updateSslProductSettings(
  ctx: SettingsContext,
  update: SslProductSettingsUpdate,
): Promise<SslProductSettings> {
  const policy = update.policy === undefined ? undefined : readPolicy(update.policy);
  const before = update.before === undefined ? undefined : assertBeforeDays(update.before);
  if (policy !== undefined || before !== undefined) {
    await ctx.db.kysely
      .updateTable('product_types')
      .set({
        ...(policy === undefined ? {} : { subscription_policy: policy }),
        ...(before === undefined ? {} : { subscription_before_days: before }),
        updated_at: ctx.clock.now().toISOString(),
      })
      .where('code', '=', SSL_PRODUCT_TYPE)
      .execute();
  }
  return readSslProductSettings(ctx);
}

function readPolicy(text: string): SubscriptionPolicy {
  const policy = SUBSCRIPTION_POLICIES.find((p) => p === text.trim().toLowerCase());
  if (!policy) {
    throw new AppError(
      'BILLING_INVALID_SETTINGS',
      `Expired certificate processing policy "${text}" is not known; allowed: ${SUBSCRIPTION_POLICIES.join(', ')}.`,
      { policy: text, allowed: SUBSCRIPTION_POLICIES },
    );
  }
  return policy;
}
