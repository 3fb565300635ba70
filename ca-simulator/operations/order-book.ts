import { currencyExponent } from '../../src/core/money.ts';
import { parseCsr } from '../pki/parse-csr.ts';
import { addMonths, certificateEnd } from '../pki/certificate-validity.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import {
  ORDER_STATUS,
  type Account,
  type Order,
  type ProductFamily,
  type SimulatorData,
} from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';

/** A new OrderID in GlobalSign's style (`CE` + letters + digits), e.g. `CESM260402000001`. */
export function newOrderId(ctx: SimulatorContext): string {
  const data = ctx.store.data;
  const day = ctx.clock.now().toISOString().slice(2, 10).replace(/-/g, '');
  let id: string;
  do id = `CESM${day}${String(data.nextOrderNumber++).padStart(6, '0')}`;
  while (data.orders[id] || data.reservedOrderIds[id]);
  ctx.store.changed();
  return id;
}

export function nowIso(ctx: SimulatorContext): string {
  return ctx.clock.now().toISOString();
}

/** Records a modification event; GetModifiedOrders sees the order from then on. */
export function touch(ctx: SimulatorContext, order: Order, event: string, at = nowIso(ctx)): void {
  order.events.push({ name: event, at });
  order.modifiedAt = at;
  ctx.store.changed();
}

/** An order of this account; -9916 when unknown, -9902 when another account's. */
export function findOrder(
  ctx: SimulatorContext,
  account: Account,
  orderId: string | undefined,
  field = 'OrderID',
): Order {
  if (!orderId) throw new GsError('-102', field);
  const order = ctx.store.data.orders[orderId];
  if (!order) throw new GsError('-9916', field);
  if (order.userName !== account.userName) throw new GsError('-9902', field);
  settleOrder(ctx, order);
  return order;
}

/** Applies transitions that happen with time: a revocation request turns into "revoked". */
export function settleOrder(ctx: SimulatorContext, order: Order): void {
  if (
    order.status === ORDER_STATUS.revoking &&
    order.revokeDueAt &&
    ctx.clock.now().toISOString() >= order.revokeDueAt
  ) {
    order.status = ORDER_STATUS.revoked;
    order.deactivatedDate = order.revokeDueAt;
    touch(ctx, order, 'REVOKED', order.revokeDueAt);
    order.revokeDueAt = undefined;
  }
}

/** List price in minor units: the table entry for Months, else the 12-month price pro rata. */
export function priceFor(
  data: SimulatorData,
  family: ProductFamily,
  months: number,
  currency: string,
): number {
  const table = data.prices[family];
  const exact = table[String(months)];
  const exp = currencyExponent(currency);
  const toMinor = (s: string): number => Math.round(Number(s) * 10 ** exp);
  if (exact !== undefined) return toMinor(exact);
  return Math.round((toMinor(table['12'] ?? '0') * months) / 12);
}

/** Issues the certificate of a pending order now (status 4). */
export function issueOrder(ctx: SimulatorContext, order: Order): void {
  const csr = parseCsr(order.csrPem);
  const now = ctx.clock.now();
  const requestedStart = order.requestedNotBefore ? new Date(order.requestedNotBefore) : undefined;
  const notBefore = requestedStart && requestedStart > now ? requestedStart : now;
  const limits = [order.requestedNotAfter, order.chainEnd]
    .filter((x): x is string => !!x)
    .map((x) => new Date(x));
  const customEnd = limits.length ? new Date(Math.min(...limits.map((d) => d.getTime()))) : undefined;
  const notAfter = certificateEnd(notBefore, ctx.settings.validity, order.months, customEnd);
  const { dnsNames, ipAddresses } = subjectAltNames(order);
  const leaf = ctx.ca.issue({
    csr,
    commonName: order.fqdn,
    dnsNames,
    ipAddresses,
    notBefore,
    notAfter,
    level: order.family === 'OV' ? 'OV' : order.family === 'EV' ? 'EV' : 'DV',
  });
  const s = csr.subject;
  const subjectName =
    order.family === 'OV' || order.family === 'EV'
      ? `CN = ${order.fqdn}, O = ${s.O ?? 'null'}, OU = ${s.OU ?? 'null'}, L = ${s.L ?? 'null'}, ST = ${s.ST ?? 'null'}, C = ${s.C ?? 'null'}`
      : `CN = ${order.fqdn}`;
  order.certificate = {
    pem: leaf.pem,
    serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore.toISOString(),
    notAfter: leaf.notAfter.toISOString(),
    dnsNames,
    ipAddresses,
    subjectName,
  };
  if (!order.chainEnd)
    order.chainEnd = new Date(addMonths(leaf.notBefore, order.months).getTime() - 1000).toISOString();
  // A first order, or a reissue that was held for validation, has just had its domains checked.
  if (!order.reissueOfOrderId || order.dcv !== 'none') order.validatedAt = nowIso(ctx);
  order.chainDcv ??= order.dcv;
  order.status = ORDER_STATUS.issued;
  order.completeDate = nowIso(ctx);
  touch(ctx, order, 'ISSUE_COMPLETE');
}

const IP_RE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

function subjectAltNames(order: Order): { dnsNames: string[]; ipAddresses: string[] } {
  const dns = new Set<string>();
  const ips = new Set<string>();
  const add = (name: string, type?: string): void => {
    if (type === '3' || type === '4' || IP_RE.test(name)) ips.add(name);
    else dns.add(name.toLowerCase());
  };
  add(order.fqdn);
  if (order.fqdn.startsWith('*.')) add(order.fqdn.slice(2));
  for (const e of order.sanEntries) add(e.name, e.type);
  return { dnsNames: [...dns], ipAddresses: [...ips] };
}

function assertPending(order: Order): void {
  if (order.status === ORDER_STATUS.cancelledNotIssued || order.status === ORDER_STATUS.cancelledIssued) {
    throw new GsError('-9915', 'OrderID');
  }
  if (order.status !== ORDER_STATUS.initial) throw new GsError('-9938', 'OrderID');
}

/** The approver (or the vetting team) says yes: the certificate is issued. */
export function approveOrder(ctx: SimulatorContext, order: Order): void {
  assertPending(order);
  if (order.dcv === 'email') order.approverConfirmedAt = nowIso(ctx);
  touch(ctx, order, 'ORDER_VALIDATE_REGISTER');
  issueOrder(ctx, order);
}

/** The approver says no: the order ends as "cancelled, not issued" and is refunded. */
export function rejectOrder(ctx: SimulatorContext, order: Order): void {
  if (order.status !== ORDER_STATUS.initial && order.status !== ORDER_STATUS.phishingReview)
    assertPending(order);
  cancelOrder(ctx, order, 'APPROVER_REJECT');
}

/** Ends a phishing hold; with auto-approve the order then completes like any other. */
export function releaseOrder(ctx: SimulatorContext, order: Order): void {
  if (order.status !== ORDER_STATUS.phishingReview) throw new GsError('-9938', 'OrderID');
  order.status = ORDER_STATUS.initial;
  order.heldForPhishing = false;
  touch(ctx, order, 'PHISHING_CHECK_RELEASED');
  if (ctx.settings.autoApprove && (order.dcv === 'email' || order.dcv === 'vetting'))
    approveOrder(ctx, order);
}

/** Cancel: 3 before issue (refunded), 5 after issue (not refunded). Repeats answer -9915. */
export function cancelOrder(ctx: SimulatorContext, order: Order, event = 'CANCEL'): void {
  const s = order.status;
  if (s === ORDER_STATUS.cancelledNotIssued || s === ORDER_STATUS.cancelledIssued)
    throw new GsError('-9915', 'OrderID');
  if (s === ORDER_STATUS.revoking || s === ORDER_STATUS.revoked) throw new GsError('-9938', 'OrderID');
  order.canceledDate = nowIso(ctx);
  if (s === ORDER_STATUS.issued) {
    order.status = ORDER_STATUS.cancelledIssued;
  } else {
    order.status = ORDER_STATUS.cancelledNotIssued;
    const account = ctx.store.data.accounts[order.userName];
    if (account && account.currency === order.currency) account.balanceMinor += order.priceMinor;
  }
  touch(ctx, order, event);
}

/** Revoke an issued certificate: status 6 now, 7 after `revokeDelayMs`. */
export function revokeOrder(ctx: SimulatorContext, order: Order): void {
  const s = order.status;
  if (s === ORDER_STATUS.revoking || s === ORDER_STATUS.revoked) throw new GsError('-9938', 'OrderID');
  if (s === ORDER_STATUS.cancelledNotIssued) throw new GsError('-9915', 'OrderID');
  if (s !== ORDER_STATUS.issued && s !== ORDER_STATUS.cancelledIssued) throw new GsError('-4005', 'OrderID');
  order.status = ORDER_STATUS.revoking;
  order.revokeDueAt = new Date(ctx.clock.now().getTime() + ctx.settings.revokeDelayMs).toISOString();
  touch(ctx, order, 'REVOKE_REQUEST');
  settleOrder(ctx, order);
}
