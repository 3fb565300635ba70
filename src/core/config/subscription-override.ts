import type { Config } from './config-options.ts';
import type { LoadedConfig } from './load-config.ts';
import type { OptionSource } from './option-source.ts';

export interface OptionOverride<T> {
  readonly value: T;
  readonly source: OptionSource;
  /** For the panel: `overridden by etc/certbill.conf:3` or `overridden by CERTBILL_SSL_SUBSCRIPTION_BEFORE`. */
  readonly note: string;
}

export interface SubscriptionOverride {
  readonly policy: OptionOverride<Config['sslSubscriptionPolicy']> | null;
  readonly before: OptionOverride<number> | null;
}

/**
 * Which parts of the product's Subscription block the file or the environment override. The panel
 * value applies only where this says null (`override.before?.value ?? panel.before`).
 * @example subscriptionOverride(loaded) → { policy: null, before: { value: 20, source: {kind: 'file', …}, note: 'overridden by etc/certbill.conf:3' } }
 */
export function subscriptionOverride(loaded: LoadedConfig): SubscriptionOverride {
  return Object.freeze({
    policy: overrideOf(loaded.config.sslSubscriptionPolicy, loaded.sources.sslSubscriptionPolicy),
    before: overrideOf(loaded.config.sslSubscriptionBefore, loaded.sources.sslSubscriptionBefore),
  });
}

function overrideOf<T>(value: T, source: OptionSource): OptionOverride<T> | null {
  if (source.kind === 'default') return null;
  const by = source.kind === 'file' ? `${source.path}:${source.line}` : source.variable;
  return Object.freeze({ value, source, note: `overridden by ${by}` });
}
