import type { AppContext } from '../app-context.ts';
import type { ModuleRegistry } from './module-registry.ts';

/**
 * What the composition root tells provisioning about this installation.
 *
 * @example { demoBaseUrl: 'http://127.0.0.1:8443/kb/ws/v1/' } // Demo modules talk to the built-in simulator
 */
export interface ProvisioningSettings {
  /** Where a module with Demo on points when it has no URL of its own; default the CA's test system. */
  readonly demoBaseUrl?: string;
  /** The addresses offered for "IP address"; default this host's (`os.networkInterfaces()`). */
  readonly hostAddresses?: () => readonly string[];
  /** Timeouts of the connection check, in milliseconds; default 10 s to connect, 30 s for the answer. */
  readonly checkTimeouts?: { readonly connectMs?: number; readonly readMs?: number };
}

/** What the provisioning use cases need: storage, time, secrets, module logs, and the module kinds. */
export type ProvisioningContext = Pick<AppContext, 'db' | 'clock' | 'secrets' | 'logger'> & {
  readonly modules: ModuleRegistry;
  readonly provisioningSettings?: ProvisioningSettings;
};
