import { text } from '../soap/soap-request.ts';
import { el, nil } from '../soap/xml-writer.ts';
import { ORDER_STATUS } from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';
import { approveOrder, findOrder, newOrderId, nowIso, releaseOrder, touch } from './order-book.ts';
import type { Operation } from './operation.ts';
import { PRODUCTS, parseSanEntries, placeOrder, readOrderDraft } from './place-order.ts';

const LOCAL_PARTS = ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'];

/**
 * The generic approver addresses for a name: of the name itself (without `*.`/`www.`) and of its
 * registered domain (taken as the last two labels).
 *
 * @example approverEmails('www.shop.example.com') // admin@shop.example.com, …, admin@example.com, …
 */
export function approverEmails(fqdn: string): string[] {
  const name = fqdn
    .toLowerCase()
    .replace(/^\*\./, '')
    .replace(/^www\./, '');
  const base = name.split('.').slice(-2).join('.');
  const domains = base === name ? [name] : [name, base];
  return domains.flatMap((d) => LOCAL_PARTS.map((l) => `${l}@${d}`));
}

export const getDvApproverList: Operation = {
  name: 'GetDVApproverList',
  service: 'ServerSSLService',
  responseHeader: 'QueryResponseHeader',
  // GlobalSign answers an empty <Approvers/> on failure, although the schema wants one entry.
  errorBody: '<Approvers/>',
  run: ({ ctx, account, req }) => {
    const fqdn = text(req, 'FQDN')?.toLowerCase();
    if (!fqdn) throw new GsError('-102', 'FQDN');
    parseSanEntries(req);
    const orderId = newOrderId(ctx);
    ctx.store.data.reservedOrderIds[orderId] = { userName: account.userName, fqdn, at: nowIso(ctx) };
    const approvers = approverEmails(fqdn).map((email) =>
      el('SearchOrderDetail', [el('ApproverType', 'GENERIC'), el('ApproverEmail', email)]),
    );
    return { orderId, fqdn, body: el('Approvers', approvers) + el('OrderID', orderId) };
  },
};

export const dvOrder: Operation = {
  name: 'DVOrder',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID'),
  run: ({ ctx, account, req }) => {
    const orderId = text(req, 'OrderID');
    if (!orderId) throw new GsError('-102', 'OrderID');
    const data = ctx.store.data;
    const reserved = data.reservedOrderIds[orderId];
    if (data.orders[orderId] || (reserved && reserved.userName !== account.userName))
      throw new GsError('-4004', 'OrderID');
    const approverEmail = text(req, 'ApproverEmail')?.toLowerCase();
    if (!approverEmail) throw new GsError('-102', 'ApproverEmail');
    const draft = readOrderDraft(ctx, account, req, PRODUCTS.email!, reserved?.fqdn);
    if (!approverEmails(draft.fqdn).includes(approverEmail)) throw new GsError('-4009', 'ApproverEmail');
    const { order, warnings } = placeOrder(ctx, account, draft, req, 'email', orderId, {
      approverEmail,
      approverNotifiedAt: nowIso(ctx),
    });
    if (ctx.settings.autoApprove) {
      if (order.status === ORDER_STATUS.phishingReview) releaseOrder(ctx, order);
      else approveOrder(ctx, order);
    }
    return { orderId, fqdn: draft.fqdn, warnings, body: el('OrderID', orderId) };
  },
};

export const resendEmail: Operation = {
  name: 'ResendEmail',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderId'),
  run: ({ ctx, account, req }) => {
    const order = findOrder(ctx, account, text(req, 'OrderID'));
    const type = text(req, 'ResendEmailType');
    if (!type) throw new GsError('-102', 'ResendEmailType');
    if (type.toUpperCase() !== 'APPROVEREMAIL') throw new GsError('-101', 'ResendEmailType');
    if (order.dcv !== 'email' || order.status !== ORDER_STATUS.initial) throw new GsError('-4005', 'OrderID');
    order.approverNotifiedAt = nowIso(ctx);
    touch(ctx, order, 'APPROVER_EMAIL_RESENT');
    return { orderId: order.orderId, fqdn: order.fqdn, body: el('OrderId', order.orderId) };
  },
};

export const changeApproverEmail: Operation = {
  name: 'ChangeApproverEmail',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: '',
  run: ({ ctx, account, req }) => {
    const order = findOrder(ctx, account, text(req, 'OrderID'));
    const email = text(req, 'ApproverEmail')?.toLowerCase();
    if (!email) throw new GsError('-102', 'ApproverEmail');
    if (order.dcv !== 'email' || order.status !== ORDER_STATUS.initial) throw new GsError('-4005', 'OrderID');
    if (!approverEmails(text(req, 'FQDN') ?? order.fqdn).includes(email))
      throw new GsError('-4009', 'ApproverEmail');
    order.approverEmail = email;
    order.approverNotifiedAt = nowIso(ctx);
    touch(ctx, order, 'APPROVER_EMAIL_CHANGED');
    return { orderId: order.orderId, fqdn: order.fqdn, body: el('OrderID', order.orderId) };
  },
};
