import { randomBytes } from 'node:crypto';
import { fetchValidationFile } from '../dcv/fetch-validation-file.ts';
import { text } from '../soap/soap-request.ts';
import { el, nil } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import { ORDER_STATUS, type Account, type Order } from '../state/simulator-data.ts';
import type { XmlNode } from '../soap/soap-request.ts';
import { GsError } from './gs-error.ts';
import { findOrder, issueOrder, releaseOrder, touch } from './order-book.ts';
import { verificationForIssue } from './order-detail-xml.ts';
import type { Operation, OperationResult } from './operation.ts';
import { PRODUCTS, placeOrder, readOrderDraft } from './place-order.ts';

const TXT_PREFIX = 'globalsign-domain-verification=';

/** The CN and its www/apex counterpart, as VerificationURLList / VerificationFQDNList. */
function verificationHosts(fqdn: string): string[] {
  const name = fqdn.replace(/^\*\./, '');
  return name.startsWith('www.') ? [name, name.slice(4)] : [`www.${name}`, name];
}

function placeValidatedOrder(
  ctx: SimulatorContext,
  account: Account,
  req: XmlNode,
  method: 'http' | 'dns',
): { order: Order; warnings: GsError[] } {
  const draft = readOrderDraft(ctx, account, req, method === 'http' ? PRODUCTS.http! : PRODUCTS.dns!);
  const placed = placeOrder(ctx, account, draft, req, method, undefined, {
    token: randomBytes(24).toString('base64url'),
    verificationHosts: verificationHosts(draft.fqdn),
  });
  touch(ctx, placed.order, method === 'http' ? 'READY_VARIFICATION_URL' : 'READY_VARIFICATION_DNS');
  if (ctx.settings.autoApprove && placed.order.status === ORDER_STATUS.phishingReview)
    releaseOrder(ctx, placed.order);
  return placed;
}

export const urlVerification: Operation = {
  name: 'URLVerification',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID') + nil('MetaTag') + nil('VerificationURLList'),
  run: ({ ctx, account, req }) => {
    const { order, warnings } = placeValidatedOrder(ctx, account, req, 'http');
    return {
      orderId: order.orderId,
      fqdn: order.fqdn,
      warnings,
      body:
        el('OrderID', order.orderId) +
        el('MetaTag', `<meta name="_globalsign-domain-verification" content="${order.token!}" />`) +
        el(
          'VerificationURLList',
          order.verificationHosts!.map((h) => el('VerificationURL', h)),
        ),
    };
  },
};

export const dvDnsOrder: Operation = {
  name: 'DVDNSOrder',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('OrderID') + nil('DNSTXT') + nil('VerificationFQDNList'),
  run: ({ ctx, account, req }) => {
    const { order, warnings } = placeValidatedOrder(ctx, account, req, 'dns');
    return {
      orderId: order.orderId,
      fqdn: order.fqdn,
      warnings,
      body:
        el('OrderID', order.orderId) +
        el('DNSTXT', TXT_PREFIX + order.token!) +
        el(
          'VerificationFQDNList',
          order.verificationHosts!.map((h) => el('VerificationFQDN', h)),
        ),
    };
  },
};

function pendingValidation(order: Order, method: 'http' | 'dns'): void {
  if (order.dcv !== method) throw new GsError('-4005', 'OrderID');
  if (order.status === ORDER_STATUS.cancelledNotIssued || order.status === ORDER_STATUS.cancelledIssued) {
    throw new GsError('-9915', 'OrderID');
  }
  if (order.status !== ORDER_STATUS.initial)
    throw new GsError(order.status === 2 ? '-4005' : '-9938', 'OrderID');
}

function issued(ctx: SimulatorContext, order: Order): OperationResult {
  touch(ctx, order, 'ORDER_VALIDATE_REGISTER');
  issueOrder(ctx, order);
  return { orderId: order.orderId, fqdn: order.fqdn, body: verificationForIssue(ctx, order) };
}

export const urlVerificationForIssue: Operation = {
  name: 'URLVerificationForIssue',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('URLVerificationForIssue'),
  run: async ({ ctx, account, req }) => {
    const order = findOrder(ctx, account, text(req, 'OrderID'));
    const approverUrl = text(req, 'ApproverURL');
    if (!approverUrl) throw new GsError('-102', 'ApproverURL');
    let host: string;
    try {
      const url = new URL(approverUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      host = url.hostname.toLowerCase();
    } catch {
      throw new GsError('-9152', 'ApproverURL');
    }
    pendingValidation(order, 'http');
    if (!order.verificationHosts!.includes(host)) throw new GsError('-9152', 'ApproverURL');
    if (!ctx.settings.autoApprove) {
      const file = await fetchValidationFile(host, ctx.store.data.hosts);
      if (!file?.includes(order.token!)) throw new GsError('-4147');
      if (order.status !== ORDER_STATUS.initial) throw new GsError('-9938', 'OrderID');
    }
    return issued(ctx, order);
  },
};

export const dvDnsVerificationForIssue: Operation = {
  name: 'DVDNSVerificationForIssue',
  service: 'ServerSSLService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('URLVerificationForIssue'),
  run: ({ ctx, account, req }) => {
    const order = findOrder(ctx, account, text(req, 'OrderID'));
    const fqdn = text(req, 'ApproverFQDN')?.toLowerCase().replace(/\.$/, '');
    if (!fqdn) throw new GsError('-102', 'ApproverFQDN');
    pendingValidation(order, 'dns');
    if (!order.verificationHosts!.includes(fqdn)) throw new GsError('-4147');
    const records = ctx.store.data.dns[fqdn] ?? [];
    if (!ctx.settings.autoApprove && !records.includes(TXT_PREFIX + order.token!)) throw new GsError('-4147');
    return issued(ctx, order);
  },
};
