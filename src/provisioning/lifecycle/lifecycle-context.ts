import type { Kysely, Transaction } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import type { Database } from '../../db/schema.ts';
import type { LifecycleTables } from '../../db/schema-lifecycle.ts';
import type { ProvisioningTables } from '../../db/schema-provisioning.ts';
import type { ModuleDeps, ModuleRegistry, ModuleSettings } from '../module-registry.ts';
import type { ProvisioningSettings } from '../provisioning-context.ts';

/** Every table the lifecycle reads or writes. */
export type LifecycleSchema = Database & ProvisioningTables & LifecycleTables;

/** The lifecycle's tables over any Kysely of the application (until the schema folds them in). */
export function lifecycleKysely<DB>(k: Kysely<DB> | Transaction<DB>): Kysely<LifecycleSchema> {
  return k as unknown as Kysely<LifecycleSchema>;
}

/** One CA order found by a search, e.g. `{ caOrderId: 'CESM2604020001', placedAt: '2026-04-02T12:00:03.000Z' }`. */
export interface FoundCaOrder {
  readonly caOrderId: string;
  readonly placedAt?: string;
}

export interface FindCaOrdersInput {
  /** The order's common name (or any of its names). */
  readonly commonName: string;
  readonly from: Date;
  readonly to: Date;
}

/**
 * Looks orders up at a CA by name and date window: how a placement whose answer was lost is found
 * again. The processing-module contract has no search yet, so a kind registers one here.
 * @example await search.findOrders({ commonName: 'example.com', from, to }) → [{ caOrderId: 'CESM2604020001' }]
 */
export interface CaOrderSearch {
  findOrders(input: FindCaOrdersInput): Promise<readonly FoundCaOrder[]>;
  close(): void;
}

export type CaOrderSearchFactory = (settings: ModuleSettings, deps: ModuleDeps) => CaOrderSearch;

/** The steps of a placement and an issue, reported to `onStep` (crash tests stop the process there). */
export const LIFECYCLE_STEPS = [
  'key-stored',
  'module-pinned',
  'order-reserved',
  'ca-answered',
  'order-recorded',
  'order-fetched',
  'certificate-recorded',
  'paid-period-started',
  'service-activated',
  'switch-requested',
  'switch-cancelled',
  'switch-reordered',
] as const;
export type LifecycleStep = (typeof LIFECYCLE_STEPS)[number];

export interface LifecycleOptions {
  /** Order searches per module kind, e.g. `new Map([['globalsign', createGlobalSignOrderSearch]])`. */
  readonly orderSearches?: ReadonlyMap<string, CaOrderSearchFactory>;
  /** Told each step as it completes. */
  readonly onStep?: (step: LifecycleStep, detail: { readonly generationId: number }) => void;
  /** First wait between polls of a pending order (default 60 s); it doubles up to `maxPollDelayMs`. */
  readonly pollDelayMs?: number;
  /** Longest wait between polls (default 1 h). */
  readonly maxPollDelayMs?: number;
  /** The contact phone of orders when the client has none on file (default `+1 000 000 0000`). */
  readonly contactPhone?: string;
}

/** What the lifecycle needs: the application, the module kinds and the lifecycle's own options. */
export type LifecycleContext = AppContext & {
  readonly modules: ModuleRegistry;
  readonly provisioningSettings?: ProvisioningSettings;
  readonly lifecycle?: LifecycleOptions;
};

export function reportStep(ctx: LifecycleContext, step: LifecycleStep, generationId: number): void {
  ctx.lifecycle?.onStep?.(step, { generationId });
}
