import type { IncomingMessage, ServerResponse } from 'node:http';
import { SystemClock } from '../../src/core/clock.ts';
import { assertCurrency, formatMoney, parseMoney } from '../../src/core/money.ts';
import { GsError } from '../operations/gs-error.ts';
import { approveOrder, rejectOrder, releaseOrder, settleOrder } from '../operations/order-book.ts';
import { approverEmails } from '../operations/dv-email-operations.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import { emptyData, PRODUCT_FAMILIES, type Order, type ProductFamily } from '../state/simulator-data.ts';
import type { CallLog } from './call-log.ts';
import type { FaultInjector, FaultRule } from './fault-injector.ts';
import { inboxPage } from './inbox-page.ts';

export interface ControlDeps {
  ctx: SimulatorContext;
  calls: CallLog;
  faults: FaultInjector;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

function orderSummary(o: Order): Json {
  return {
    orderId: o.orderId,
    userName: o.userName,
    productCode: o.productCode,
    fqdn: o.fqdn,
    sans: o.sanEntries.map((e) => e.name),
    status: o.status,
    validation: o.dcv,
    approverEmail: o.approverEmail ?? null,
    approverEmails: o.dcv === 'email' ? approverEmails(o.fqdn) : undefined,
    httpFile:
      o.dcv === 'http' ? { path: '/.well-known/pki-validation/gsdv.txt', content: o.token } : undefined,
    dnsTxt:
      o.dcv === 'dns'
        ? { names: o.verificationHosts, value: `globalsign-domain-verification=${o.token}` }
        : undefined,
    orderDate: o.orderDate,
    modifiedAt: o.modifiedAt,
    reissueOf: o.reissueOfOrderId ?? null,
    certificate: o.certificate
      ? {
          serialNumber: o.certificate.serialNumber,
          notBefore: o.certificate.notBefore,
          notAfter: o.certificate.notAfter,
        }
      : null,
  };
}

function str(body: Json, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || !v) throw new ControlError(400, `"${key}" must be a non-empty string`);
  return v;
}

function strList(body: Json, key: string): string[] {
  const v = body[key];
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new ControlError(400, `"${key}" must be a list of strings`);
  return v as string[];
}

/**
 * Serves `/_control/*`: JSON in and out (see docs/simulator.md for the list). Form posts from the
 * inbox page are answered with a redirect back to it.
 */
export async function handleControl(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const route = url.pathname.replace(/^\/_control/, '').replace(/\/$/, '') || '/';
  const method = req.method ?? 'GET';
  const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  try {
    let body: Json = {};
    if (rawBody && !isForm) {
      try {
        body = JSON.parse(rawBody) as Json;
      } catch {
        throw new ControlError(400, 'The body must be JSON.');
      }
    }
    if (method === 'GET' && route === '/inbox') {
      const pending = Object.values(deps.ctx.store.data.orders).filter(
        (o) => o.status === 2 || (o.status === 1 && o.dcv !== 'none'),
      );
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(inboxPage(pending));
      return;
    }
    const result = await route_(deps, method, route, body, url);
    if (isForm && method === 'POST') {
      res.writeHead(303, { location: '/_control/inbox' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  } catch (e) {
    const status = e instanceof ControlError ? e.status : e instanceof GsError ? 409 : 400;
    const message =
      e instanceof GsError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message }));
  }
}

async function route_(deps: ControlDeps, method: string, route: string, body: Json, url: URL): Promise<Json> {
  const { ctx } = deps;
  const data = ctx.store.data;
  const key = `${method} ${route}`;
  const orderAction = /^POST \/orders\/([^/]+)\/(approve|reject|release)$/.exec(key);
  if (orderAction) {
    const order = data.orders[decodeURIComponent(orderAction[1]!)];
    if (!order) throw new ControlError(404, 'No such order.');
    settleOrder(ctx, order);
    if (orderAction[2] === 'approve') approveOrder(ctx, order);
    else if (orderAction[2] === 'reject') rejectOrder(ctx, order);
    else releaseOrder(ctx, order);
    return orderSummary(order);
  }
  const orderGet = /^GET \/orders\/([^/]+)$/.exec(key);
  if (orderGet) {
    const order = data.orders[decodeURIComponent(orderGet[1]!)];
    if (!order) throw new ControlError(404, 'No such order.');
    settleOrder(ctx, order);
    return orderSummary(order);
  }
  const accountAction = /^POST \/accounts\/([^/]+)\/(balance|allow-ip)$/.exec(key);
  if (accountAction) {
    const account = data.accounts[decodeURIComponent(accountAction[1]!)];
    if (!account) throw new ControlError(404, 'No such account.');
    if (accountAction[2] === 'balance')
      account.balanceMinor = parseMoney(str(body, 'balance'), account.currency).amountMinor;
    else account.allowIps = strList(body, 'allowIps');
    ctx.store.changed();
    return accountView(data.accounts[account.userName]!);
  }
  switch (key) {
    case 'GET /':
      return { routes: ROUTES };
    case 'GET /clock':
      return { now: ctx.clock.now().toISOString() };
    case 'POST /clock': {
      const now = new Date(str(body, 'now'));
      if (Number.isNaN(now.getTime())) throw new ControlError(400, '"now" must be an ISO 8601 instant');
      const clock = ctx.clock as { set?: (d: Date) => void };
      if (typeof clock.set !== 'function')
        throw new ControlError(409, 'This simulator runs on a clock that cannot be set.');
      clock.set(now);
      data.clockOffsetMs = now.getTime() - new SystemClock().now().getTime();
      ctx.store.changed();
      return { now: ctx.clock.now().toISOString() };
    }
    case 'GET /calls':
      return { calls: deps.calls.list() };
    case 'DELETE /calls':
      deps.calls.clear();
      return { calls: [] };
    case 'GET /faults':
      return { faults: deps.faults.list() };
    case 'POST /faults':
      deps.faults.add(body as unknown as FaultRule);
      return { faults: deps.faults.list() };
    case 'DELETE /faults':
      deps.faults.clear();
      return { faults: [] };
    case 'GET /dns':
      return { records: data.dns };
    case 'POST /dns': {
      const name = str(body, 'name').toLowerCase().replace(/\.$/, '');
      const txt = strList(body, 'txt');
      if (txt.length) data.dns[name] = txt;
      else delete data.dns[name];
      ctx.store.changed();
      return { name, txt };
    }
    case 'GET /hosts':
      return { hosts: data.hosts };
    case 'POST /hosts': {
      const host = str(body, 'host').toLowerCase();
      if (body['address'] === null || body['address'] === '') delete data.hosts[host];
      else {
        const address = str(body, 'address');
        if (!/^(\[[0-9a-f:.]+\]|[^:\s]+):\d{1,5}$/i.test(address))
          throw new ControlError(400, '"address" must be address:port');
        data.hosts[host] = address;
      }
      ctx.store.changed();
      return { hosts: data.hosts };
    }
    case 'GET /orders': {
      const status = url.searchParams.get('status');
      const orders = Object.values(data.orders).filter(
        (o) => (settleOrder(ctx, o), !status || String(o.status) === status),
      );
      return { orders: orders.map(orderSummary) };
    }
    case 'GET /accounts':
      return { accounts: Object.values(data.accounts).map(accountView) };
    case 'POST /accounts': {
      const userName = str(body, 'user');
      const existing = data.accounts[userName];
      const currency = assertCurrency(
        typeof body['currency'] === 'string' ? body['currency'] : (existing?.currency ?? 'USD'),
      );
      const balance =
        typeof body['balance'] === 'string' ? parseMoney(body['balance'], currency).amountMinor : undefined;
      data.accounts[userName] = {
        userName,
        password: str(body, 'password'),
        currency,
        balanceMinor: balance ?? existing?.balanceMinor ?? 0,
        allowIps: body['allowIps'] !== undefined ? strList(body, 'allowIps') : (existing?.allowIps ?? []),
      };
      ctx.store.changed();
      return accountView(data.accounts[userName]);
    }
    case 'GET /prices':
      return { prices: data.prices };
    case 'POST /prices': {
      const family = str(body, 'productCode').toUpperCase() as ProductFamily;
      if (!PRODUCT_FAMILIES.includes(family))
        throw new ControlError(400, `"productCode" must be one of ${PRODUCT_FAMILIES.join(', ')}`);
      const months = Number(body['months']);
      if (!Number.isInteger(months) || months < 1)
        throw new ControlError(400, '"months" must be a positive integer');
      const price = str(body, 'price');
      if (!/^\d+(\.\d+)?$/.test(price)) throw new ControlError(400, '"price" must be a decimal string');
      data.prices[family][String(months)] = price;
      ctx.store.changed();
      return { prices: data.prices };
    }
    case 'GET /ca':
      return { root: ctx.ca.rootPem, intermediate: ctx.ca.intermediatePem };
    case 'POST /reset': {
      const fresh = emptyData();
      data.orders = fresh.orders;
      data.reservedOrderIds = fresh.reservedOrderIds;
      data.dns = fresh.dns;
      data.hosts = fresh.hosts;
      deps.calls.clear();
      deps.faults.clear();
      ctx.store.changed();
      return { reset: true };
    }
    default:
      throw new ControlError(404, `No control call ${key}; GET /_control/ lists them.`);
  }
}

function accountView(a: {
  userName: string;
  balanceMinor: number;
  currency: string;
  allowIps: string[];
}): Json {
  return {
    user: a.userName,
    balance: formatMoney({ amountMinor: a.balanceMinor, currency: a.currency }),
    currency: a.currency,
    allowIps: a.allowIps,
  };
}

const ROUTES = [
  'POST /_control/clock {"now": ISO}',
  'GET /_control/clock',
  'POST /_control/orders/<OrderID>/approve | /reject | /release',
  'GET /_control/orders[?status=n]',
  'GET /_control/orders/<OrderID>',
  'GET /_control/inbox',
  'POST /_control/dns {"name", "txt": [...]}',
  'GET /_control/dns',
  'POST /_control/hosts {"host", "address": "127.0.0.1:PORT" | null}',
  'GET /_control/hosts',
  'POST /_control/faults {"kind", "count"?, "ratio"?, "ms"?, "phase"?}',
  'GET|DELETE /_control/faults',
  'GET|DELETE /_control/calls',
  'GET|POST /_control/accounts {"user", "password", "balance"?, "currency"?, "allowIps"?}',
  'POST /_control/accounts/<user>/balance {"balance"}',
  'POST /_control/accounts/<user>/allow-ip {"allowIps": [...]}',
  'GET|POST /_control/prices {"productCode", "months", "price"}',
  'GET /_control/ca',
  'POST /_control/reset',
];
