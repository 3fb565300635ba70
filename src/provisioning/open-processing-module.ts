import type { ModuleKind, ModuleSettings } from './module-registry.ts';
import { findModuleRow, passwordAad, type ModuleRow } from './module-repository.ts';
import type { ProcessingModule } from './processing-module.ts';
import type { ProvisioningContext, ProvisioningSettings } from './provisioning-context.ts';

/**
 * Where a module's requests go: its own URL when set; with Demo on the installation's demo CA (the
 * built-in simulator in the embedded demo) or else the CA's test system; otherwise production.
 *
 * @example endpointOf(globalsign, { demo: true, url: null }, {}) → 'https://test-gcc.globalsign.com/kb/ws/v1/'
 */
export function endpointOf(
  kind: ModuleKind,
  module: { readonly demo: boolean; readonly url: string | null },
  settings: ProvisioningSettings | undefined,
): string {
  if (module.url) return module.url;
  return module.demo ? (settings?.demoBaseUrl ?? kind.endpoints.demo) : kind.endpoints.production;
}

/**
 * The timeouts a module row sets, in ms; the unset ones are left out so the caller's defaults apply
 * (the module's own for jobs, the connection check's for a check).
 * @example timeoutsOf({ connect_timeout_s: null, read_timeout_s: 20 }) → { readMs: 20000 }
 */
export function timeoutsOf(
  row: Pick<ModuleRow, 'connect_timeout_s' | 'read_timeout_s'>,
): { connectMs?: number; readMs?: number } | undefined {
  const connect = row.connect_timeout_s ?? null;
  const read = row.read_timeout_s ?? null;
  if (connect === null && read === null) return undefined;
  return {
    ...(connect === null ? {} : { connectMs: Number(connect) * 1000 }),
    ...(read === null ? {} : { readMs: Number(read) * 1000 }),
  };
}

/** The factory settings of a stored module, its password opened and its own timeouts. */
export function moduleSettingsOf(ctx: ProvisioningContext, row: ModuleRow): ModuleSettings {
  const kind = ctx.modules.get(row.kind);
  const timeouts = timeoutsOf(row);
  return {
    username: row.username,
    password: ctx.secrets.open(row.password_sealed, passwordAad(Number(row.id))),
    baseUrl: endpointOf(kind, { demo: row.demo === 1, url: row.url }, ctx.provisioningSettings),
    ...(row.source_address ? { sourceAddress: row.source_address } : {}),
    ...(timeouts ? { timeouts } : {}),
  };
}

/**
 * A ready module instance for a stored processing module (jobs place and poll orders with it);
 * close it when done.
 *
 * @example
 *   const module = await openProcessingModule(ctx, 1);
 *   try { await module.fetchOrder({ caOrderId }); } finally { module.close(); }
 */
export async function openProcessingModule(
  ctx: ProvisioningContext,
  moduleId: number,
): Promise<ProcessingModule> {
  const row = await findModuleRow(ctx.db, moduleId);
  const kind = ctx.modules.get(row.kind);
  return kind.create(moduleSettingsOf(ctx, row), { clock: ctx.clock, logger: ctx.logger(kind.logName) });
}
