import { text, type XmlNode } from '../soap/soap-request.ts';
import { parseInstant } from '../soap/timestamp.ts';
import { el, nil } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import type { Account, Order } from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';
import { settleOrder } from './order-book.ts';
import { orderDetail, readQueryOptions, searchOrderDetail } from './order-detail-xml.ts';
import type { Operation } from './operation.ts';

export const getOrderByOrderId: Operation = {
  name: 'GetOrderByOrderID',
  service: 'GASService',
  // The header of this query is named OrderResponseHeader (typed QueryResponseHeader) on the wire.
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID') + nil('OrderDetail'),
  run: ({ ctx, account, req }) => {
    const orderId = text(req, 'OrderID');
    if (!orderId) throw new GsError('-102', 'OrderID');
    const order = ctx.store.data.orders[orderId];
    // GlobalSign's test system answered an unknown OrderID with -1 (internal error), not a "not found" code.
    if (!order) throw new GsError('-1');
    if (order.userName !== account.userName) throw new GsError('-9902', 'OrderID');
    settleOrder(ctx, order);
    return {
      orderId,
      fqdn: order.fqdn,
      body: el('OrderID', orderId) + orderDetail(ctx, order, readQueryOptions(req)),
    };
  },
};

function window(
  req: XmlNode,
  required: boolean,
  from = 'FromDate',
  to = 'ToDate',
): { from?: Date; to?: Date } {
  const read = (name: string): Date | undefined => {
    const t = text(req, name);
    if (!t) {
      if (required) throw new GsError('-102', name);
      return undefined;
    }
    const d = parseInstant(t);
    if (!d) throw new GsError('-104', name);
    return d;
  };
  const range = { from: read(from), to: read(to) };
  if (range.from && range.to && range.from > range.to) throw new GsError('-105', to);
  return range;
}

const inWindow = (iso: string, w: { from?: Date; to?: Date }): boolean => {
  const t = new Date(iso).getTime();
  return (!w.from || t >= w.from.getTime()) && (!w.to || t <= w.to.getTime());
};

function accountOrders(ctx: SimulatorContext, account: Account): Order[] {
  const out: Order[] = [];
  for (const o of Object.values(ctx.store.data.orders)) {
    if (o.userName !== account.userName) continue;
    settleOrder(ctx, o);
    out.push(o);
  }
  return out.sort((a, b) => (a.orderDate < b.orderDate ? -1 : a.orderDate > b.orderDate ? 1 : 0));
}

function detailsQuery(name: string, pick: (o: Order, w: { from?: Date; to?: Date }) => boolean): Operation {
  return {
    name,
    service: 'GASService',
    responseHeader: 'QueryResponseHeader',
    errorBody: nil('FromDate') + nil('ToDate') + nil('OrderDetails'),
    run: ({ ctx, account, req }) => {
      const w = window(req, true);
      const q = readQueryOptions(req);
      const orders = accountOrders(ctx, account).filter((o) => pick(o, w));
      return {
        body:
          el('FromDate', text(req, 'FromDate')!) +
          el('ToDate', text(req, 'ToDate')!) +
          (orders.length
            ? el(
                'OrderDetails',
                orders.map((o) => orderDetail(ctx, o, q)),
              )
            : nil('OrderDetails')),
      };
    },
  };
}

/** Orders with any modification event inside [FromDate, ToDate]. */
export const getModifiedOrders = detailsQuery('GetModifiedOrders', (o, w) =>
  o.events.some((e) => inWindow(e.at, w)),
);

/** Orders placed inside [FromDate, ToDate]. */
export const getOrderByDateRange = detailsQuery('GetOrderByDateRange', (o, w) => inWindow(o.orderDate, w));

export const getCertificateOrders: Operation = {
  name: 'GetCertificateOrders',
  service: 'GASService',
  responseHeader: 'QueryResponseHeader',
  errorBody: nil('SearchOrderDetails'),
  run: ({ ctx, account, req }) => {
    const w = window(req, false);
    const fqdn = text(req, 'FQDN')?.toLowerCase();
    const product = text(req, 'ProductCode')?.toUpperCase();
    const status = text(req, 'OrderStatus');
    const subId = text(req, 'SubID');
    const orders = accountOrders(ctx, account).filter(
      (o) =>
        inWindow(o.orderDate, w) &&
        (!fqdn || o.fqdn === fqdn || o.sanEntries.some((e) => e.name === fqdn)) &&
        (!product || o.productCode.toUpperCase() === product) &&
        (!status || String(o.status) === status) &&
        (!subId || o.subId === subId),
    );
    return {
      fqdn,
      body: orders.length
        ? el(
            'SearchOrderDetails',
            orders.map((o) => searchOrderDetail(ctx, o)),
          )
        : nil('SearchOrderDetails'),
    };
  },
};
