import type { Clock } from './core/clock.ts';
import type { Config } from './core/config/index.ts';
import type { SecretBox } from './core/secrets/index.ts';
import type { ModuleLogger } from './core/logs/module-logger.ts';
import type { Database } from './db/database.ts';
import type { ProvisioningGateway } from './billing/provisioning-gateway.ts';
import type { ModuleRegistry } from './provisioning/module-registry.ts';
import type { ProvisioningSettings } from './provisioning/provisioning-context.ts';

export type SubscriptionPolicy = 'auto' | 'manual' | 'none';

/**
 * What `etc/certbill.conf` (or the environment) sets of the product type's Subscription block. A
 * value here overrides the one stored from the panel; `source` says where it came from
 * (`etc/certbill.conf:3`, `env:CERTBILL_SSL_SUBSCRIPTION_BEFORE`).
 */
export interface SubscriptionOverride {
  readonly policy?: { readonly value: SubscriptionPolicy; readonly source: string };
  readonly before?: { readonly value: number; readonly source: string };
}

/**
 * Everything a use case, route, command or job needs from the outside world, built once by the
 * composition root (`src/compose.ts`) for the server, the CLI and the tests.
 */
export interface AppContext {
  readonly version: string;
  readonly clock: Clock;
  readonly db: Database;
  /** certbill.log */
  readonly log: ModuleLogger;
  /** The log of one module, e.g. `pmglobalsign`. */
  logger(module: string): ModuleLogger;
  readonly subscriptionOverride: SubscriptionOverride;
  /** The validated etc/certbill.conf (with environment overrides). */
  readonly config: Config;
  /** Encrypts secrets at rest (CA passwords, private keys). */
  readonly secrets: SecretBox;
  /** The processing-module kinds this installation knows (GlobalSign). */
  readonly modules: ModuleRegistry;
  readonly provisioningSettings: ProvisioningSettings;
  /** Where billing hands paid and cancelled services over; without it services wait in `ordered`. */
  readonly provisioning?: ProvisioningGateway;
}
