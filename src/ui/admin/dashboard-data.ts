import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { SERVICE_STATUSES, type ServiceStatus } from '../../billing/service-repository.ts';
import type { Money } from '../../core/money.ts';
import { listProcessingModules } from '../../provisioning/module-repository.ts';
import { subscriptionsKysely } from '../../subscriptions/subscriptions-kysely.ts';
import { rowLimit } from '../../db/row-limit.ts';

/**
 * The admin Dashboard's figures, one small query each. Counts read indexes only
 * (`services_status`, `tasks_state`, `certificate_generations_state`,
 * `certificate_generations_reissue_due`), lists are limited, so the page stays fast with 100,000
 * services.
 */
type Ctx = Pick<AppContext, 'db' | 'clock'>;

export const DASHBOARD_LIST_LIMIT = 10;

export interface ModuleBalance {
  readonly id: number;
  readonly name: string;
  readonly enabled: boolean;
  readonly balance: Money | null;
  readonly balanceReadAt: string | null;
  readonly minBalance: Money | null;
  /** The last reading is under the Processing module minimal balance. */
  readonly low: boolean;
}

/** Reselling services balance per processing module, with when it was read and a low-balance mark. */
export async function readModuleBalances(ctx: Ctx): Promise<ModuleBalance[]> {
  const modules = await listProcessingModules(ctx);
  return modules.map((m) => ({
    id: m.id,
    name: m.name,
    enabled: m.enabled,
    balance: m.balance,
    balanceReadAt: m.balanceReadAt,
    minBalance: m.minBalance,
    low: m.balanceBelowMinimum,
  }));
}

/** How many services are in each state (every state listed, zeros included). */
export async function countServicesByState(ctx: Ctx): Promise<{ status: ServiceStatus; count: number }[]> {
  const rows = await ctx.db.kysely
    .selectFrom('services')
    .select(['status', sql<number>`count(*)`.as('n')])
    .groupBy('status')
    .execute();
  const counts = new Map(rows.map((r) => [r.status, Number(r.n)]));
  return SERVICE_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
}

/** How long the Dashboard reuses its services-by-state counts (a GROUP BY over every service). */
export const SERVICE_COUNTS_TTL_MS = 30_000;

export interface ServiceCounts {
  readonly byState: { status: ServiceStatus; count: number }[];
  readonly total: number;
  /** When they were counted (ISO). */
  readonly countedAt: string;
}

const countsCache = new WeakMap<object, { at: number; value: Promise<ServiceCounts> }>();

/**
 * `countServicesByState`, counted at most once per 30 seconds per database (concurrent requests
 * share one count): with 100,000 services the count takes tens of milliseconds, a cached answer
 * none. The Dashboard shows when it was counted.
 */
export function readServiceCounts(ctx: Ctx): Promise<ServiceCounts> {
  const now = ctx.clock.now();
  const hit = countsCache.get(ctx.db);
  if (hit && now.getTime() - hit.at < SERVICE_COUNTS_TTL_MS) return hit.value;
  const value = countServicesByState(ctx).then((byState) => ({
    byState,
    total: byState.reduce((n, s) => n + s.count, 0),
    countedAt: now.toISOString(),
  }));
  countsCache.set(ctx.db, { at: now.getTime(), value });
  value.catch(() => countsCache.delete(ctx.db));
  return value;
}

const totalsCache = new WeakMap<object, Map<string, { at: number; value: Promise<number> }>>();

/**
 * The total of a Dashboard list: when the list (newest `DASHBOARD_LIST_LIMIT` rows) is not full,
 * its length is the total and nothing is counted; otherwise `count()` runs at most once per
 * `SERVICE_COUNTS_TTL_MS` per database and block (concurrent requests share it), and the total is
 * never less than the rows shown. With 100,000 services such a count walks thousands of index
 * entries (about 1 ms each on SQLite, more on PostgreSQL) on every Dashboard view otherwise.
 */
async function listTotal(ctx: Ctx, block: string, shown: number, count: () => Promise<number>) {
  if (shown < DASHBOARD_LIST_LIMIT) return shown;
  const now = ctx.clock.now().getTime();
  let byBlock = totalsCache.get(ctx.db);
  if (!byBlock) totalsCache.set(ctx.db, (byBlock = new Map()));
  let hit = byBlock.get(block);
  if (!hit || now - hit.at >= SERVICE_COUNTS_TTL_MS) {
    hit = { at: now, value: count() };
    byBlock.set(block, hit);
    const cache = byBlock;
    hit.value.catch(() => cache.delete(block));
  }
  return Math.max(shown, await hit.value);
}

export interface OpenTaskLine {
  readonly id: number;
  readonly title: string;
  readonly kind: string;
  readonly department: string | null;
  readonly related: string | null;
  readonly createdAt: string;
}

/** The number of open tasks and the newest few. */
export async function readOpenTasks(ctx: Ctx): Promise<{ total: number; latest: OpenTaskLine[] }> {
  const rows = await ctx.db.kysely
    .selectFrom('tasks')
    .leftJoin('departments', 'departments.id', 'tasks.department_id')
    .select([
      'tasks.id',
      'tasks.title',
      'tasks.kind',
      'tasks.related',
      'tasks.created_at',
      'departments.name as department',
    ])
    .where('tasks.state', '=', 'open')
    .orderBy('tasks.id', 'desc')
    .limit(rowLimit(DASHBOARD_LIST_LIMIT))
    .execute();
  const total = await listTotal(ctx, 'open-tasks', rows.length, async () => {
    const r = await ctx.db.kysely
      .selectFrom('tasks')
      .select(sql<number>`count(*)`.as('n'))
      .where('state', '=', 'open')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
  return {
    total,
    latest: rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      department: r.department,
      related: r.related,
      createdAt: r.created_at,
    })),
  };
}

export interface CertificateLine {
  readonly serviceId: number;
  readonly clientId: number;
  readonly commonName: string;
  /** When the reissue is due, or when the validation was asked for. */
  readonly at: string | null;
  readonly caOrderId: string | null;
  readonly dcvMethod: string | null;
}

function certificateLine(
  r: {
    service_id: number;
    client_id: number;
    common_name: string;
    ca_order_id: string | null;
    dcv_method: string | null;
  },
  at: string | null,
): CertificateLine {
  return {
    serviceId: r.service_id,
    clientId: r.client_id,
    commonName: r.common_name,
    at,
    caOrderId: r.ca_order_id,
    dcvMethod: r.dcv_method,
  };
}

/** Certificates whose reissue is due before a week from now (overdue ones included), soonest first. */
export async function readReissuesDueThisWeek(
  ctx: Ctx,
): Promise<{ total: number; first: CertificateLine[] }> {
  const until = new Date(ctx.clock.now().getTime() + 7 * 86_400_000).toISOString();
  const due = () =>
    subscriptionsKysely(ctx.db.kysely)
      .selectFrom('certificate_generations as g')
      .where('g.reissue_at', 'is not', null)
      .where('g.reissue_handled_at', 'is', null)
      .where('g.reissue_at', '<', until);
  const rows = await due()
    .innerJoin('services as s', 's.id', 'g.service_id')
    .select(['g.service_id', 's.client_id', 's.common_name', 'g.reissue_at', 'g.ca_order_id', 'g.dcv_method'])
    .orderBy('g.reissue_at')
    .orderBy('g.id')
    .limit(rowLimit(DASHBOARD_LIST_LIMIT))
    .execute();
  const total = await listTotal(ctx, 'reissues-due', rows.length, async () => {
    const r = await due()
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
  return {
    total,
    first: rows.map((r) => certificateLine(r, r.reissue_at)),
  };
}

/** Certificates waiting for the client's domain validation, oldest first. */
export async function readValidationsOwed(ctx: Ctx): Promise<{ total: number; first: CertificateLine[] }> {
  const owed = () =>
    ctx.db.kysely.selectFrom('certificate_generations as g').where('g.state', '=', 'awaiting_validation');
  const rows = await owed()
    .innerJoin('services as s', 's.id', 'g.service_id')
    .select(['g.service_id', 's.client_id', 's.common_name', 'g.placed_at', 'g.ca_order_id', 'g.dcv_method'])
    .orderBy('g.id')
    .limit(rowLimit(DASHBOARD_LIST_LIMIT))
    .execute();
  const total = await listTotal(ctx, 'validations-owed', rows.length, async () => {
    const r = await owed()
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
  return {
    total,
    first: rows.map((r) => certificateLine(r, r.placed_at)),
  };
}
