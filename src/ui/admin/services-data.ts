import { sql } from 'kysely';
import type { AppContext } from '../../app-context.ts';
import { storedMoney } from '../../billing/stored-money.ts';
import { AppError } from '../../core/errors/index.ts';
import type { Money } from '../../core/money.ts';
import { listProcessingModules } from '../../provisioning/module-repository.ts';
import { rowLimit } from '../../db/row-limit.ts';

/**
 * The admin Services pages' reads. Every list is keyset-paged (`id < before`, newest first) over an
 * index that starts with the filter (`services_status`, `services_client`, or the primary key), so
 * a page costs about the same with 100,000 services; nothing counts all services on a hit.
 */
type Ctx = Pick<AppContext, 'db'>;

export const SERVICES_PAGE_SIZE = 50;

export interface ServiceFilters {
  readonly status?: string;
  readonly clientId?: number;
  readonly product?: string;
  readonly moduleId?: number;
  /** Part of the common name. */
  readonly cn?: string;
  /** Only ids below this one (the next page). */
  readonly before?: number;
  readonly limit?: number;
}

export interface ServiceLine {
  readonly id: number;
  readonly clientId: number;
  readonly clientName: string;
  readonly commonName: string;
  readonly product: string;
  readonly wildcard: boolean;
  readonly status: string;
  readonly years: number;
  readonly price: Money;
  readonly moduleName: string | null;
  readonly expirationDate: string | null;
  readonly paidUntil: string | null;
  readonly createdAt: string;
}

export interface ServicePage {
  readonly services: ServiceLine[];
  /** The `before` of the next page, or null on the last one. */
  readonly nextBefore: number | null;
}

/** LIKE pattern for "contains", with the wildcards of the text escaped. */
export function containsPattern(text: string): string {
  return `%${text
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of services matching the filters, newest first, with client, module and dates. */
export async function listServicePage(ctx: Ctx, filters: ServiceFilters): Promise<ServicePage> {
  const limit = filters.limit ?? SERVICES_PAGE_SIZE;
  // One round trip: the services walk an index in id order and stop at the page's end; the
  // client's name comes by its primary key (a LEFT JOIN keeps the services the outer side), and the
  // module of the last generation and the expiry of the last issued one come from correlated
  // subqueries over (service_id, seq), run for the page's rows only. On PostgreSQL a second query
  // for the generations of 50 ids cost more than the reads themselves (a round trip's socket
  // write and wake-up on each side).
  let query = ctx.db.kysely
    .selectFrom('services as s')
    .leftJoin('clients as c', 'c.id', 's.client_id')
    .select((eb) => [
      's.id',
      's.client_id',
      'c.name as client_name',
      's.common_name',
      's.product',
      's.wildcard',
      's.status',
      's.period_years',
      's.price_total_minor',
      's.currency',
      's.paid_until',
      's.created_at',
      eb
        .selectFrom('certificate_generations as g')
        .leftJoin('processing_modules as m', 'm.id', 'g.module_id')
        .select('m.name')
        .whereRef('g.service_id', '=', 's.id')
        .orderBy('g.seq', 'desc')
        .limit(rowLimit(1))
        .as('module_name'),
      eb
        .selectFrom('certificate_generations as g')
        .select('g.not_after')
        .whereRef('g.service_id', '=', 's.id')
        .where('g.state', '=', 'issued')
        .orderBy('g.seq', 'desc')
        .limit(rowLimit(1))
        .as('not_after'),
    ])
    .orderBy('s.id', 'desc')
    .limit(rowLimit(limit + 1));
  if (filters.status) query = query.where('s.status', '=', filters.status);
  if (filters.clientId !== undefined) query = query.where('s.client_id', '=', filters.clientId);
  if (filters.product) query = query.where('s.product', '=', filters.product);
  if (filters.before !== undefined) query = query.where('s.id', '<', filters.before);
  if (filters.cn && filters.cn.trim() !== '') {
    query = query.where(sql<boolean>`s.common_name like ${containsPattern(filters.cn)} escape '\\'`);
  }
  if (filters.moduleId !== undefined) {
    const moduleId = filters.moduleId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('certificate_generations as g')
          .select('g.id')
          .whereRef('g.service_id', '=', 's.id')
          .where('g.module_id', '=', moduleId),
      ),
    );
  }
  const rows = await query.execute();
  const services = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    clientId: Number(r.client_id),
    clientName: r.client_name ?? '',
    commonName: r.common_name,
    product: r.product,
    wildcard: r.wildcard === 1,
    status: r.status,
    years: r.period_years,
    price: storedMoney(Number(r.price_total_minor), r.currency),
    moduleName: r.module_name ?? null,
    expirationDate: r.not_after ?? null,
    paidUntil: r.paid_until,
    createdAt: r.created_at,
  }));
  return {
    services,
    nextBefore: rows.length > limit ? (services.at(-1)?.id ?? null) : null,
  };
}

/** How long the Services filter reuses its list of processing modules. */
export const MODULE_OPTIONS_TTL_MS = 10_000;

const moduleOptionsCache = new WeakMap<
  object,
  { at: number; value: Promise<{ id: number; name: string }[]> }
>();

/**
 * The processing modules (id and name, in their Sort order) for the Services filter, read at most
 * once per 10 seconds per database (concurrent requests share one read): the list changes rarely
 * and was read on every view of the list. A module added or renamed shows there within 10 seconds.
 */
export function readModuleOptions(
  ctx: Pick<AppContext, 'db' | 'clock'>,
): Promise<{ id: number; name: string }[]> {
  const now = ctx.clock.now().getTime();
  const hit = moduleOptionsCache.get(ctx.db);
  if (hit && now - hit.at < MODULE_OPTIONS_TTL_MS) return hit.value;
  const value = listProcessingModules(ctx).then((modules) =>
    modules.map((m) => ({ id: m.id, name: m.name })),
  );
  moduleOptionsCache.set(ctx.db, { at: now, value });
  value.catch(() => moduleOptionsCache.delete(ctx.db));
  return value;
}

export interface GenerationLine {
  readonly seq: number;
  readonly kind: string;
  readonly state: string;
  readonly moduleId: number | null;
  readonly moduleName: string | null;
  readonly caOrderId: string | null;
  readonly dcvMethod: string | null;
  readonly placedAt: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly reissueAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
}

/** Every certificate generation of a service, first first, with its module's name. */
export async function readGenerations(ctx: Ctx, serviceId: number): Promise<GenerationLine[]> {
  const rows = await ctx.db.kysely
    .selectFrom('certificate_generations as g')
    .leftJoin('processing_modules as m', 'm.id', 'g.module_id')
    .select([
      'g.seq',
      'g.kind',
      'g.state',
      'g.module_id',
      'm.name as module_name',
      'g.ca_order_id',
      'g.dcv_method',
      'g.placed_at',
      'g.not_before',
      'g.not_after',
      'g.reissue_at',
      'g.last_error',
      'g.created_at',
    ])
    .where('g.service_id', '=', serviceId)
    .orderBy('g.seq')
    .execute();
  return rows.map((g) => ({
    seq: g.seq,
    kind: g.kind,
    state: g.state,
    moduleId: g.module_id === null ? null : Number(g.module_id),
    moduleName: g.module_name,
    caOrderId: g.ca_order_id,
    dcvMethod: g.dcv_method,
    placedAt: g.placed_at,
    notBefore: g.not_before,
    notAfter: g.not_after,
    reissueAt: g.reissue_at,
    lastError: g.last_error,
    createdAt: g.created_at,
  }));
}

/**
 * The names a service's page shows for its client and tariff plan, in one query (the full client
 * and tariff, with balances, users and prices, take seven); the tariff is null when it is gone.
 */
export async function readServiceParties(
  ctx: Ctx,
  clientId: number,
  tariffId: number,
): Promise<{ client: { id: number; name: string }; tariff: { id: number; name: string } | null }> {
  const row = await ctx.db.kysely
    .selectFrom('clients as c')
    .leftJoin('tariffs as t', (join) => join.on('t.id', '=', tariffId))
    .select(['c.id', 'c.name', 't.id as tariff_id', 't.name as tariff_name'])
    .where('c.id', '=', clientId)
    .executeTakeFirst();
  if (!row)
    throw new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${clientId} does not exist.`, { clientId });
  return {
    client: { id: Number(row.id), name: row.name },
    tariff:
      row.tariff_id === null || row.tariff_name === null
        ? null
        : { id: Number(row.tariff_id), name: row.tariff_name },
  };
}

export const SERVICE_EVENTS_LIMIT = 20;

/** The newest tasks about a service (`related = service:<id>`), open ones first. */
export async function readServiceTasks(ctx: Ctx, serviceId: number) {
  const rows = await ctx.db.kysely
    .selectFrom('tasks')
    .leftJoin('departments', 'departments.id', 'tasks.department_id')
    .select([
      'tasks.id',
      'tasks.kind',
      'tasks.title',
      'tasks.state',
      'tasks.created_at',
      'tasks.closed_at',
      'departments.name as department',
    ])
    .where('tasks.related', '=', `service:${serviceId}`)
    .orderBy('tasks.id', 'desc')
    .limit(rowLimit(SERVICE_EVENTS_LIMIT))
    .execute();
  return rows
    .map((t) => ({
      id: Number(t.id),
      kind: t.kind,
      title: t.title,
      state: t.state,
      department: t.department,
      createdAt: t.created_at,
      closedAt: t.closed_at,
    }))
    .sort((a, b) => Number(a.state !== 'open') - Number(b.state !== 'open'));
}

/** The newest notifications about a service (to its client or to a Department). */
export async function readServiceNotifications(ctx: Ctx, serviceId: number) {
  const rows = await ctx.db.kysely
    .selectFrom('notifications')
    .select([
      'id',
      'template',
      'client_id',
      'department_id',
      'recipient_email',
      'action_needed',
      'created_at',
      'sent_at',
    ])
    .where('service_id', '=', serviceId)
    .orderBy('id', 'desc')
    .limit(rowLimit(SERVICE_EVENTS_LIMIT))
    .execute();
  return rows.map((n) => ({
    id: Number(n.id),
    template: n.template,
    to: n.client_id !== null ? (n.recipient_email ?? 'the client') : 'the Department',
    actionNeeded: n.action_needed === 1,
    createdAt: n.created_at,
    sentAt: n.sent_at,
  }));
}
