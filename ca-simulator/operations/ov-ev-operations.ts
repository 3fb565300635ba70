import { child, fields, type XmlNode } from '../soap/soap-request.ts';
import { el, nil } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import { ORDER_STATUS, type Account, type Order } from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';
import { approveOrder, releaseOrder } from './order-book.ts';
import type { Operation } from './operation.ts';
import { PRODUCTS, placeOrder, readOrderDraft } from './place-order.ts';

function required(req: XmlNode, name: string): XmlNode {
  const node = child(req, name);
  if (!node) throw new GsError('-102', name);
  return node;
}

/** OV and EV orders wait for the vetting team: a control call (or auto-approve) issues them. */
function placeVettedOrder(
  ctx: SimulatorContext,
  account: Account,
  req: XmlNode,
  family: 'OV' | 'EV',
): { order: Order; warnings: GsError[] } {
  const draft = readOrderDraft(ctx, account, req, PRODUCTS[family]!);
  let extra: Partial<Order>;
  if (family === 'OV') {
    const org = required(req, 'OrganizationInfo');
    if (!child(org, 'OrganizationName')) throw new GsError('-102', 'OrganizationInfo.OrganizationName');
    extra = {
      organization: {
        fields: fields(org),
        address: fields(child(org, 'OrganizationAddress') ?? required(org, 'OrganizationAddress')),
      },
    };
  } else {
    const org = required(req, 'OrganizationInfoEV');
    extra = {
      organization: {
        fields: { OrganizationName: draft.csr.subject.O ?? '', ...fields(org) },
        address: fields(
          child(org, 'OrganizationAddress') ?? required(org, 'OrganizationInfoEV.OrganizationAddress'),
        ),
      },
      requestor: fields(required(req, 'RequestorInfo')),
      approver: fields(required(req, 'ApproverInfo')),
      authorizedSigner: fields(required(req, 'AuthorizedSignerInfo')),
      jurisdiction: fields(required(req, 'JurisdictionInfo')),
    };
  }
  const placed = placeOrder(ctx, account, draft, req, 'vetting', undefined, extra);
  if (ctx.settings.autoApprove) {
    if (placed.order.status === ORDER_STATUS.phishingReview) releaseOrder(ctx, placed.order);
    else approveOrder(ctx, placed.order);
  }
  return placed;
}

export const ovOrder: Operation = {
  name: 'OVOrder',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID'),
  run: ({ ctx, account, req }) => {
    const { order, warnings } = placeVettedOrder(ctx, account, req, 'OV');
    return { orderId: order.orderId, fqdn: order.fqdn, warnings, body: el('OrderID', order.orderId) };
  },
};

export const evOrder: Operation = {
  name: 'EVOrder',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderId'),
  run: ({ ctx, account, req }) => {
    const { order, warnings } = placeVettedOrder(ctx, account, req, 'EV');
    return { orderId: order.orderId, fqdn: order.fqdn, warnings, body: el('OrderId', order.orderId) };
  },
};
