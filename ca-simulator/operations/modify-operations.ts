import { at, text } from '../soap/soap-request.ts';
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
 * A free re-issue of an issued order under a new OrderID, issued at once. Only the latest order of
 * a chain can be reissued (-4016 otherwise); the new certificate never outlives the chain's paid term.
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
  issueOrder(ctx, order);
  return order;
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
