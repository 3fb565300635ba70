import { at, text } from '../soap/soap-request.ts';
import { dcvReusable } from '../pki/certificate-validity.ts';
import { el, nil } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import { ORDER_STATUS, type Order, type SanEntry } from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';
import {
  approveOrder,
  cancelOrder,
  findOrder,
  issueOrder,
  newOrderId,
  nowIso,
  revokeOrder,
  touch,
} from './order-book.ts';
import type { Operation } from './operation.ts';
import { checkCsr, parseSanEntries } from './place-order.ts';

export const modifyOrder: Operation = {
  name: 'ModifyOrder',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID'),
  run: ({ ctx, account, req }) => {
    const order = findOrder(ctx, account, text(req, 'OrderID'));
    const operation = text(req, 'ModifyOrderOperation')?.toUpperCase();
    if (!operation) throw new GsError('-102', 'ModifyOrderOperation');
    if (operation === 'APPROVE') approveOrder(ctx, order);
    else if (operation === 'CANCEL') cancelOrder(ctx, order);
    else if (operation === 'REVOKE') revokeOrder(ctx, order);
    else throw new GsError('-101', 'ModifyOrderOperation');
    return { orderId: order.orderId, fqdn: order.fqdn, body: el('OrderID', order.orderId) };
  },
};

/**
 * A free re-issue of an issued order under a new OrderID, issued at once unless the chain's domain
 * validation is too old to reuse today (then it waits for validation, see `revalidationMethod`).
 * Only the latest order of a chain can be reissued (-4016 otherwise); the new certificate never
 * outlives the chain's paid term.
 */
function reissue(
  ctx: SimulatorContext,
  target: Order,
  csrPem: string,
  sanEntries: SanEntry[],
  event: string,
): Order {
  if (target.reissuedByOrderId) throw new GsError('-4016', 'TargetOrderID');
  if (target.status !== ORDER_STATUS.issued) throw new GsError('-4005', 'TargetOrderID');
  const now = nowIso(ctx);
  const order: Order = {
    ...structuredClone(target),
    orderId: newOrderId(ctx),
    csrPem,
    sanEntries,
    dcv: 'none',
    status: ORDER_STATUS.initial,
    orderDate: now,
    modifiedAt: now,
    events: [],
    priceMinor: 0,
    completeDate: undefined,
    canceledDate: undefined,
    deactivatedDate: undefined,
    certificate: undefined,
    renewalTargetOrderId: undefined,
    renewedByOrderId: undefined,
    reissuedByOrderId: undefined,
    reissueOfOrderId: target.orderId,
    requestedNotBefore: undefined,
  };
  ctx.store.data.orders[order.orderId] = order;
  target.reissuedByOrderId = order.orderId;
  touch(ctx, target, event);
  touch(ctx, order, 'ORDER_REQUEST', now);
  const method = revalidationMethod(ctx, target);
  if (method === undefined) {
    issueOrder(ctx, order);
    return order;
  }
  // Domain control is checked again under the chain's method and verification value.
  order.dcv = method;
  if (method === 'email') {
    order.approverNotifiedAt = now;
    order.approverConfirmedAt = undefined;
  } else {
    touch(ctx, order, method === 'http' ? 'READY_VARIFICATION_URL' : 'READY_VARIFICATION_DNS', now);
  }
  if (ctx.settings.autoApprove) issueOrder(ctx, order);
  return order;
}

/**
 * The DCV method a DV reissue must validate afresh with, when the chain's last domain validation
 * is older than the reuse period in force today (SC-081); undefined when it may be reused. The
 * reissue then waits (status 1) like a new order: URLVerificationForIssue / DVDNSVerificationForIssue
 * on its OrderID with the chain's token, or the approver's e-mail.
 */
function revalidationMethod(ctx: SimulatorContext, target: Order): 'email' | 'http' | 'dns' | undefined {
  if (target.family !== 'DV' && target.family !== 'DV_LOW') return undefined;
  const method = target.chainDcv ?? target.dcv;
  if (method !== 'email' && method !== 'http' && method !== 'dns') return undefined;
  const validatedAt = target.validatedAt ?? target.completeDate;
  if (!validatedAt || dcvReusable(new Date(validatedAt), ctx.clock.now())) return undefined;
  return method;
}

function sansFromDnsNames(list: string | undefined, target: Order): SanEntry[] {
  if (list === undefined) return target.sanEntries;
  const known = new Map(target.sanEntries.map((e) => [e.name, e.type]));
  return list
    .split(',')
    .map((n) => n.trim().toLowerCase())
    .filter((n) => n && n !== target.fqdn)
    .map((name) => ({
      name,
      type: known.get(name) ?? (/^[\d.]+$|:/.test(name) ? '3' : name.startsWith('*.') ? '13' : '7'),
    }));
}

export const reIssue: Operation = {
  name: 'ReIssue',
  service: 'GASService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID') + nil('TargetOrderID'),
  run: ({ ctx, account, req }) => {
    const target = findOrder(ctx, account, text(req, 'TargetOrderID'), 'TargetOrderID');
    const csr = checkCsr(at(req, 'OrderParameter.CSR'), 'OrderParameter.CSR');
    if (csr.subject.CN?.toLowerCase() !== target.fqdn) throw new GsError('-4006', 'OrderParameter.CSR');
    const order = reissue(
      ctx,
      target,
      csr.pem,
      sansFromDnsNames(at(req, 'OrderParameter.DNSNames'), target),
      'REISSUE',
    );
    return {
      orderId: order.orderId,
      fqdn: order.fqdn,
      body: el('OrderID', order.orderId) + el('TargetOrderID', target.orderId),
    };
  },
};

export const changeSubjectAltName: Operation = {
  name: 'ChangeSubjectAltName',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: '',
  run: ({ ctx, account, req }) => {
    const targetId = text(req, 'TargetOrderID') ?? text(req, 'OrderID');
    const target = findOrder(ctx, account, targetId, 'TargetOrderID');
    const order = reissue(ctx, target, target.csrPem, parseSanEntries(req), 'CHANGE_SAN');
    return {
      orderId: order.orderId,
      fqdn: order.fqdn,
      body: el('OrderID', order.orderId) + el('TargetOrderID', target.orderId),
    };
  },
};
