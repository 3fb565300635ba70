import { CsrRejected, parseCsr, type ParsedCsr } from '../pki/parse-csr.ts';
import { baselineEnd, addMonths } from '../pki/certificate-validity.ts';
import { child, fields, list, text, at, type XmlNode } from '../soap/soap-request.ts';
import { parseInstant } from '../soap/timestamp.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import {
  ORDER_STATUS,
  type Account,
  type DcvMethod,
  type Order,
  type ProductFamily,
  type SanEntry,
} from '../state/simulator-data.ts';
import { GsError } from './gs-error.ts';
import { newOrderId, nowIso, priceFor, touch } from './order-book.ts';

/** Product codes each ordering operation takes, by family (TEST_ prefix and _SHA2 suffix accepted). */
export const PRODUCTS: Record<string, Record<string, ProductFamily>> = {
  email: { DV_LOW: 'DV_LOW', DV: 'DV' },
  http: { DV_LOW_URL: 'DV_LOW', DV_HIGH_URL: 'DV', DV_URL: 'DV' },
  dns: { DV_LOW_DNS: 'DV_LOW', DV_HIGH_DNS: 'DV', DV_DNS: 'DV' },
  OV: { OV: 'OV' },
  EV: { EV: 'EV' },
  any: { DV_LOW: 'DV_LOW', DV: 'DV', OV: 'OV', EV: 'EV' },
};

export function productFamily(
  code: string,
  allowed: Record<string, ProductFamily>,
): ProductFamily | undefined {
  return allowed[
    code
      .toUpperCase()
      .replace(/^TEST_/, '')
      .replace(/_SHA2$/, '')
  ];
}

/** The validated common part of an order request (OrderRequestParameter + SANEntries). */
export interface OrderDraft {
  productCode: string;
  family: ProductFamily;
  baseOption?: string;
  orderKind: string;
  licenses: string;
  months: number;
  requestedNotBefore?: string;
  requestedNotAfter?: string;
  csr: ParsedCsr;
  fqdn: string;
  sanEntries: SanEntry[];
  renewalTargetOrderId?: string;
  specialInstructions?: string;
}

const HOST_RE = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z]{2,63}\.?$/i;
const IP_RE = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]*)$/i;

export function parseSanEntries(req: XmlNode, field = 'SANEntries'): SanEntry[] {
  const entries = list(child(req, 'SANEntries'), 'SANEntry').map((e) => {
    const type = text(e, 'SANOptionType');
    const name = text(e, 'SubjectAltName');
    if (!type) throw new GsError('-102', `${field}.SANEntry.SANOptionType`);
    if (!name) throw new GsError('-102', `${field}.SANEntry.SubjectAltName`);
    if (!HOST_RE.test(name) && !IP_RE.test(name))
      throw new GsError('-6018', `${field}.SANEntry.SubjectAltName`);
    return { type, name: name.toLowerCase() };
  });
  if (entries.length > 100) throw new GsError('-6017', field);
  return entries;
}

export function checkCsr(pem: string | undefined, field: string): ParsedCsr {
  if (!pem) throw new GsError('-102', field);
  try {
    return parseCsr(pem);
  } catch (e) {
    if (e instanceof CsrRejected) throw new GsError(e.code, field, e.message);
    throw e;
  }
}

/**
 * Reads and checks OrderRequestParameter and SANEntries; `expectedFqdn` is the name the order was
 * opened for (DVOrder's approver-list FQDN), compared with the CSR's CN (-6021).
 */
export function readOrderDraft(
  ctx: SimulatorContext,
  account: Account,
  req: XmlNode,
  allowed: Record<string, ProductFamily>,
  expectedFqdn?: string,
  paramName = 'OrderRequestParameter',
): OrderDraft {
  const p = child(req, paramName);
  if (!p) throw new GsError('-102', paramName);
  const f = (n: string): string => `${paramName}.${n}`;
  const productCode = text(p, 'ProductCode');
  if (!productCode) throw new GsError('-102', f('ProductCode'));
  const family = productFamily(productCode, allowed);
  if (!family) throw new GsError('-9901', f('ProductCode'));
  const orderKind = text(p, 'OrderKind')?.toLowerCase();
  if (!orderKind) throw new GsError('-102', f('OrderKind'));
  if (!['new', 'renewal', 'transfer'].includes(orderKind)) throw new GsError('-103', f('OrderKind'));
  const licenses = text(p, 'Licenses');
  if (!licenses) throw new GsError('-102', f('Licenses'));
  if (!/^\d{1,2}$/.test(licenses)) throw new GsError('-104', f('Licenses'));
  const monthsText = at(p, 'ValidityPeriod.Months');
  if (!monthsText) throw new GsError('-102', f('ValidityPeriod.Months'));
  const months = Number(monthsText);
  if (!Number.isInteger(months) || months < 1 || months > 72)
    throw new GsError('-104', f('ValidityPeriod.Months'));
  const csr = checkCsr(text(p, 'CSR'), f('CSR'));
  const cn = csr.subject.CN?.toLowerCase();
  if (!cn) throw new GsError('-4007', f('CSR'), 'The CSR has no common name.');
  const baseOption = text(p, 'BaseOption')?.toLowerCase();
  if ((baseOption === 'wildcard') !== cn.startsWith('*.')) throw new GsError('-9925', f('BaseOption'));
  if (expectedFqdn) {
    const want = expectedFqdn.toLowerCase();
    if (cn !== want && cn !== `*.${want}`) throw new GsError('-6021', f('CSR'));
  }
  const sanEntries = parseSanEntries(req);
  const draft: OrderDraft = {
    productCode,
    family,
    baseOption,
    orderKind,
    licenses,
    months,
    csr,
    fqdn: cn,
    sanEntries,
    renewalTargetOrderId: text(p, 'RenewalTargetOrderID'),
    specialInstructions: text(p, 'SpecialInstructions'),
  };
  readCustomValidity(ctx, p, draft, f);
  if (orderKind === 'renewal') checkRenewal(ctx, account, draft, f('RenewalTargetOrderID'));
  return draft;
}

function readCustomValidity(
  ctx: SimulatorContext,
  p: XmlNode,
  draft: OrderDraft,
  f: (n: string) => string,
): void {
  const nbText = at(p, 'ValidityPeriod.NotBefore');
  const naText = at(p, 'ValidityPeriod.NotAfter');
  if (!nbText && !naText) return;
  const now = ctx.clock.now();
  const notBefore = nbText ? parseInstant(nbText) : now;
  if (!notBefore) throw new GsError('-104', f('ValidityPeriod.NotBefore'));
  const notAfter = naText ? parseInstant(naText) : undefined;
  if (naText && !notAfter) throw new GsError('-104', f('ValidityPeriod.NotAfter'));
  // A minute of slack: a NotBefore of "now" computed on the client is not in the past.
  if (notBefore.getTime() < now.getTime() - 60_000) throw new GsError('-9940', f('ValidityPeriod.NotBefore'));
  if (notAfter) {
    if (notAfter <= now) throw new GsError('-9940', f('ValidityPeriod.NotAfter'));
    if (notAfter <= notBefore) throw new GsError('-105', f('ValidityPeriod.NotAfter'));
    if (notAfter > addMonths(notBefore, draft.months))
      throw new GsError('-9933', f('ValidityPeriod.NotAfter'));
    if (notAfter > baselineEnd(notBefore, ctx.settings.validity))
      throw new GsError('-9949', f('ValidityPeriod.NotAfter'));
    draft.requestedNotAfter = notAfter.toISOString();
  }
  if (nbText) draft.requestedNotBefore = notBefore.toISOString();
}

function checkRenewal(ctx: SimulatorContext, account: Account, draft: OrderDraft, field: string): void {
  const id = draft.renewalTargetOrderId;
  if (!id) throw new GsError('-102', field);
  const target = ctx.store.data.orders[id];
  if (
    !target ||
    target.userName !== account.userName ||
    target.status !== ORDER_STATUS.issued ||
    target.fqdn !== draft.fqdn ||
    target.renewedByOrderId
  ) {
    throw new GsError('-6102', field);
  }
}

export function isPhishy(ctx: SimulatorContext, names: string[]): boolean {
  return names.some((n) =>
    ctx.settings.phishingKeywords.some((k) => n.toLowerCase().includes(k.toLowerCase())),
  );
}

export interface PlacedOrder {
  order: Order;
  /** Warnings to answer with SuccessCode 1 (phishing review). */
  warnings: GsError[];
}

/** Charges the account and records the order (status 1, or 2 when held for phishing review). */
export function placeOrder(
  ctx: SimulatorContext,
  account: Account,
  draft: OrderDraft,
  req: XmlNode,
  dcv: DcvMethod,
  orderId = newOrderId(ctx),
  extra: Partial<Order> = {},
): PlacedOrder {
  const contact = child(req, 'ContactInfo');
  if (!contact) throw new GsError('-102', 'ContactInfo');
  const price = priceFor(ctx.store.data, draft.family, draft.months, account.currency);
  if (account.balanceMinor < price) throw new GsError('-6101');
  account.balanceMinor -= price;
  const held = isPhishy(ctx, [draft.fqdn, ...draft.sanEntries.map((e) => e.name)]);
  const now = nowIso(ctx);
  const order: Order = {
    orderId,
    userName: account.userName,
    productCode: draft.productCode,
    family: draft.family,
    baseOption: draft.baseOption,
    orderKind: draft.orderKind,
    licenses: draft.licenses,
    months: draft.months,
    requestedNotBefore: draft.requestedNotBefore,
    requestedNotAfter: draft.requestedNotAfter,
    fqdn: draft.fqdn,
    sanEntries: draft.sanEntries,
    csrPem: draft.csr.pem,
    dcv,
    subId: text(req, 'SubID') ?? text(req, 'SubId'),
    status: held ? ORDER_STATUS.phishingReview : ORDER_STATUS.initial,
    heldForPhishing: held || undefined,
    orderDate: now,
    modifiedAt: now,
    events: [],
    priceMinor: price,
    currency: account.currency,
    specialInstructions: draft.specialInstructions,
    contact: fields(contact),
    secondContact: child(req, 'SecondContactInfo') ? fields(child(req, 'SecondContactInfo')) : undefined,
    renewalTargetOrderId: draft.orderKind === 'renewal' ? draft.renewalTargetOrderId : undefined,
    ...extra,
  };
  ctx.store.data.orders[orderId] = order;
  delete ctx.store.data.reservedOrderIds[orderId];
  if (order.renewalTargetOrderId)
    ctx.store.data.orders[order.renewalTargetOrderId]!.renewedByOrderId = orderId;
  touch(ctx, order, 'ORDER_REQUEST', now);
  if (held) touch(ctx, order, 'PHISHING_CHECK_HOLD', now);
  return { order, warnings: held ? [new GsError('-5001')] : [] };
}
