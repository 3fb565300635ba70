import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import type { ProcessingModulesTable, ProvisioningTables } from '../db/schema-provisioning.ts';
import type { Database } from '../db/database.ts';
import { DEFAULT_MODULE_TIMEOUTS } from './read-module-fields.ts';

/** The provisioning tables over any Kysely of the application (until the lead folds them into the schema). */
export function provisioningKysely<DB>(k: Kysely<DB> | Transaction<DB>): Kysely<ProvisioningTables> {
  return k as unknown as Kysely<ProvisioningTables>;
}

export type ModuleRow = ProcessingModulesTable & { id: number };

/**
 * A processing module as the API, the CLI and the panel show it: never the password.
 *
 * @example
 *   { id: 1, kind: 'globalsign', name: 'GlobalSign main', username: 'PAR12345_api', demo: false, url: null,
 *     sourceAddress: '203.0.113.5', department: { id: 2, name: 'SSL' }, sort: 1, minBalance: { amountMinor: 50000, currency: 'USD' },
 *     enabled: true, balance: { amountMinor: 123400, currency: 'USD' }, balanceReadAt: '2026-04-02T12:00:00.000Z', … }
 */
export interface ProcessingModuleView {
  readonly id: number;
  readonly kind: string;
  readonly productType: string;
  readonly name: string;
  readonly username: string;
  readonly demo: boolean;
  /** The module's own URL of the CA's API, overriding Demo; null when Demo decides. */
  readonly url: string | null;
  readonly sourceAddress: string | null;
  readonly department: { readonly id: number; readonly name: string } | null;
  readonly sort: number;
  readonly minBalance: Money | null;
  readonly enabled: boolean;
  readonly balance: Money | null;
  readonly balanceReadAt: string | null;
  /** The last balance read is under the minimal balance. */
  readonly balanceBelowMinimum: boolean;
  readonly lastCheckAt: string | null;
  /** Seconds to connect to the CA and to wait for its answer (the defaults, 10 and 60, unless set). */
  readonly connectTimeoutSeconds: number;
  readonly readTimeoutSeconds: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The AAD a module's password is sealed under: it cannot be copied to another row. */
export function passwordAad(moduleId: number): string {
  return `processing_modules.password:${moduleId}`;
}

export function notFound(id: number): AppError {
  return new AppError('PROVISIONING_MODULE_NOT_FOUND', `Processing module ${id} does not exist.`, {
    moduleId: id,
  });
}

export async function findModuleRow(db: Database, id: number): Promise<ModuleRow> {
  const row = await provisioningKysely(db.kysely)
    .selectFrom('processing_modules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(id);
  return row as ModuleRow;
}

async function departmentNames(db: Database, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.kysely
    .selectFrom('departments')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

function money(minor: number | null, currency: string | null): Money | null {
  return minor === null || currency === null ? null : { amountMinor: Number(minor), currency };
}

export async function viewsOf(db: Database, rows: readonly ModuleRow[]): Promise<ProcessingModuleView[]> {
  const ids = [...new Set(rows.map((r) => r.department_id).filter((d): d is number => d !== null))];
  const names = await departmentNames(db, ids);
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    productType: r.product_type,
    name: r.name,
    username: r.username,
    demo: r.demo === 1,
    url: r.url,
    sourceAddress: r.source_address,
    department:
      r.department_id === null
        ? null
        : { id: Number(r.department_id), name: names.get(Number(r.department_id)) ?? '' },
    sort: r.sort,
    minBalance: money(r.min_balance_minor, r.min_balance_currency),
    enabled: r.enabled === 1,
    balance: money(r.balance_minor, r.balance_currency),
    balanceReadAt: r.balance_read_at,
    balanceBelowMinimum:
      r.min_balance_minor !== null &&
      r.balance_minor !== null &&
      r.balance_currency === r.min_balance_currency &&
      Number(r.balance_minor) < Number(r.min_balance_minor),
    lastCheckAt: r.last_check_at,
    connectTimeoutSeconds: r.connect_timeout_s ?? DEFAULT_MODULE_TIMEOUTS.connectSeconds,
    readTimeoutSeconds: r.read_timeout_s ?? DEFAULT_MODULE_TIMEOUTS.readSeconds,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

/**
 * One processing module, without its password.
 * @example await getProcessingModule(ctx, 1) → { id: 1, name: 'GlobalSign main', … }
 */
export async function getProcessingModule(ctx: { db: Database }, id: number): Promise<ProcessingModuleView> {
  return (await viewsOf(ctx.db, [await findModuleRow(ctx.db, id)]))[0]!;
}

/**
 * Every processing module, in selection order (lowest Sort first, then oldest).
 * @example await listProcessingModules(ctx) → [{ id: 1, sort: 1, … }, { id: 2, sort: 5, … }]
 */
export async function listProcessingModules(
  ctx: { db: Database },
  filter: { enabledOnly?: boolean } = {},
): Promise<ProcessingModuleView[]> {
  let q = provisioningKysely(ctx.db.kysely).selectFrom('processing_modules').selectAll();
  if (filter.enabledOnly) q = q.where('enabled', '=', 1);
  const rows = (await q.orderBy('sort').orderBy('id').execute()) as ModuleRow[];
  return viewsOf(ctx.db, rows);
}

export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || !('code' in e)) return false;
  const code = (e as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
