import { SAN_OPTION_TYPES } from './request-builders.ts';
import {
  childOf,
  listOf,
  requiredText,
  ResponseFormatError,
  textOf,
  textsOf,
  type XmlNode,
} from './soap-reader.ts';
import { orderStateOf } from './status-table.ts';
import type {
  CertificateInfo,
  CsrFields,
  DecodeCsrResult,
  DvApproverListResult,
  DvDnsOrderResult,
  Fulfillment,
  IssueResult,
  ModificationEvent,
  OrderDetail,
  OrderInfo,
  OrderOption,
  OrderSubInfo,
  SanEntry,
  SanKind,
  SearchOrder,
  UrlVerificationResult,
  ValidateOrderParametersResult,
  ValidityPeriod,
} from './types.ts';
import { normalizePem, optionalTimestamp, parseBoolean } from './wire-values.ts';

/** What a reader returns; the client adds the header fields (success code, warnings, timestamp). */
type Body<T> = Omit<T, 'successCode' | 'warnings' | 'timestamp'>;

const SAN_KIND_BY_TYPE = new Map<string, SanKind>(
  Object.entries(SAN_OPTION_TYPES).map(([kind, type]) => [type, kind as SanKind]),
);

/** Optional fields are left out rather than set to undefined, so results compare and print cleanly. */
function compact<T extends object>(o: T): T {
  // A copy rather than `delete`, which would leave the result a slow dictionary object.
  const out: Partial<T> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

/** GlobalSign spells it `OrderID` in most answers and `OrderId` in EVOrder, ResendEmail and OrderInfo. */
export function orderIdOf(node: XmlNode | undefined): string | undefined {
  return textOf(node, 'OrderID') ?? textOf(node, 'OrderId');
}

function requiredOrderId(node: XmlNode, path: string): string {
  const id = orderIdOf(node);
  if (id === undefined) throw new ResponseFormatError(`missing ${path}`);
  return id;
}

function csrFields(node: XmlNode | undefined): CsrFields {
  return compact({
    commonName: textOf(node, 'CommonName'),
    organization: textOf(node, 'Organization'),
    organizationUnit: textOf(node, 'OrganizationUnit'),
    locality: textOf(node, 'Locality'),
    state: textOf(node, 'State'),
    country: textOf(node, 'Country'),
    keyLength: textOf(node, 'KeyLength'),
  });
}

function validityPeriod(node: XmlNode | undefined, path: string): ValidityPeriod | undefined {
  if (!node) return undefined;
  return compact({
    months: textOf(node, 'Months') ?? '',
    notBefore: optionalTimestamp(textOf(node, 'NotBefore'), `${path}.NotBefore`),
    notAfter: optionalTimestamp(textOf(node, 'NotAfter'), `${path}.NotAfter`),
  });
}

function sanEntries(node: XmlNode | undefined): SanEntry[] {
  return listOf(node, 'SANEntry').map((e) => {
    const optionType = textOf(e, 'SANOptionType') ?? '';
    return {
      kind: SAN_KIND_BY_TYPE.get(optionType.trim()) ?? 'unknown',
      optionType,
      name: textOf(e, 'SubjectAltName') ?? '',
    };
  });
}

function certificateInfo(node: XmlNode | undefined, path: string): CertificateInfo | undefined {
  if (!node) return undefined;
  const statusCode = textOf(node, 'CertificateStatus') ?? '';
  return compact({
    status: orderStateOf(statusCode),
    statusCode,
    startDate: optionalTimestamp(textOf(node, 'StartDate'), `${path}.StartDate`),
    endDate: optionalTimestamp(textOf(node, 'EndDate'), `${path}.EndDate`),
    commonName: textOf(node, 'CommonName'),
    serialNumber: textOf(node, 'SerialNumber'),
    subjectName: textOf(node, 'SubjectName'),
    dnsNames: textOf(node, 'DNSNames'),
  });
}

function pem(text: string | undefined): string | undefined {
  return text === undefined ? undefined : normalizePem(text);
}

function fulfillment(node: XmlNode | undefined): Fulfillment | undefined {
  if (!node) return undefined;
  const server = childOf(node, 'ServerCertificate');
  return compact({
    caCertificates: listOf(childOf(node, 'CACertificates'), 'CACertificate').map((c) => ({
      type: textOf(c, 'CACertType') ?? '',
      pem: normalizePem(textOf(c, 'CACert') ?? ''),
    })),
    serverCertificate: server
      ? {
          x509Pem: normalizePem(textOf(server, 'X509Cert') ?? ''),
          pkcs7Pem: normalizePem(textOf(server, 'PKCS7Cert') ?? ''),
        }
      : undefined,
    originalCsr: pem(textOf(node, 'OriginalCSR')),
    pkcs12: textOf(node, 'PKCS12Cert'),
  });
}

function orderInfo(node: XmlNode, path: string): OrderInfo {
  const statusCode = requiredText(node, 'OrderStatus', `${path}.OrderStatus`);
  const t = (name: string): string | undefined => textOf(node, name);
  const when = (name: string): Date | undefined => optionalTimestamp(t(name), `${path}.${name}`);
  return compact({
    orderId: requiredOrderId(node, `${path}.OrderId`),
    originalOrderIdForRenewal: t('OriginalOrderIDForRenewal'),
    originalOrderIdForReissue: t('OriginalOrderIDForReIssue'),
    productCode: requiredText(node, 'ProductCode', `${path}.ProductCode`),
    baseOption: t('BaseOption'),
    orderKind: (t('OrderKind') ?? '').toLowerCase(),
    licenses: t('Licenses') ?? '',
    expressOption: t('ExpressOption'),
    validityPeriodCustomizeOption: t('ValidityPeriodCustomizeOption'),
    insuranceOption: t('InsuranceOption'),
    gsSupportOption: t('GSSupportOption'),
    renewalExtensionOption: t('RenewalExtentionOption'),
    domainName: t('DomainName') ?? '',
    orderDate: when('OrderDate'),
    orderCompleteDate: when('OrderCompleteDate'),
    orderCanceledDate: when('OrderCanceledDate'),
    orderDeactivatedDate: when('OrderDeactivatedDate'),
    status: orderStateOf(statusCode),
    statusCode,
    price: t('Price') ?? '',
    currency: t('Currency') ?? '',
    validityPeriod: validityPeriod(childOf(node, 'ValidityPeriod'), `${path}.ValidityPeriod`),
    specialInstructions: t('SpecialInstructions'),
  });
}

function orderSubInfo(node: XmlNode | undefined, path: string): OrderSubInfo | undefined {
  if (!node) return undefined;
  const p12 = textOf(node, 'P12DeleteStatus');
  return compact({
    csrSkipOrder: parseBoolean(textOf(node, 'CSRSkipOrderFlag')),
    dnsOrder: parseBoolean(textOf(node, 'DNSOrderFlag')),
    trustedOrder: parseBoolean(textOf(node, 'TrustedOrderFlag')),
    p12DeleteStatus: p12 === undefined ? undefined : parseBoolean(p12),
    p12DeleteDate: optionalTimestamp(textOf(node, 'P12DeleteDate'), `${path}.P12DeleteDate`),
    verificationUrl: textOf(node, 'VerificationUrl'),
    subId: textOf(node, 'SubId') ?? textOf(node, 'SubID'),
  });
}

function orderOption(node: XmlNode | undefined, path: string): OrderOption | undefined {
  if (!node) return undefined;
  const c = childOf(node, 'ContactInfo');
  return compact({
    approverNotifiedDate: optionalTimestamp(
      textOf(node, 'ApproverNotifiedDate'),
      `${path}.ApproverNotifiedDate`,
    ),
    approverConfirmDate: optionalTimestamp(
      textOf(node, 'ApproverConfirmDate'),
      `${path}.ApproverConfirmDate`,
    ),
    approverEmailAddress: textOf(node, 'ApproverEmailAddress'),
    organizationName: textOf(childOf(node, 'OrganizationInfo'), 'OrganizationName'),
    contact: c
      ? {
          firstName: textOf(c, 'FirstName') ?? '',
          lastName: textOf(c, 'LastName') ?? '',
          phone: textOf(c, 'Phone') ?? '',
          email: textOf(c, 'Email') ?? '',
        }
      : undefined,
  });
}

function modificationEvents(node: XmlNode | undefined, path: string): ModificationEvent[] {
  return listOf(node, 'ModificationEvent').map((e) =>
    compact({
      name: textOf(e, 'ModificationEventName') ?? '',
      timestamp: optionalTimestamp(
        textOf(e, 'ModificationEventTimestamp'),
        `${path}.ModificationEventTimestamp`,
      ),
    }),
  );
}

/** `OrderDetail` of GetOrderByOrderID and GetModifiedOrders. */
export function readOrderDetail(node: XmlNode, path = 'OrderDetail'): OrderDetail {
  const info = childOf(node, 'OrderInfo');
  if (!info) throw new ResponseFormatError(`missing ${path}.OrderInfo`);
  return compact({
    info: orderInfo(info, `${path}.OrderInfo`),
    subInfo: orderSubInfo(childOf(node, 'OrderSubInfo'), `${path}.OrderSubInfo`),
    option: orderOption(childOf(node, 'OrderOption'), `${path}.OrderOption`),
    certificateInfo: certificateInfo(childOf(node, 'CertificateInfo'), `${path}.CertificateInfo`),
    sanEntries: sanEntries(childOf(node, 'SANEntries')),
    fulfillment: fulfillment(childOf(node, 'Fulfillment')),
    modificationEvents: modificationEvents(childOf(node, 'ModificationEvents'), `${path}.ModificationEvents`),
  });
}

function searchOrder(node: XmlNode, path: string): SearchOrder {
  const statusCode = textOf(node, 'OrderStatus') ?? '';
  return compact({
    orderId: requiredOrderId(node, `${path}.OrderID`),
    baseOption: textOf(node, 'BaseOption'),
    productCode: textOf(node, 'ProductCode') ?? '',
    orderKind: (textOf(node, 'OrderKind') ?? '').toLowerCase(),
    licenses: textOf(node, 'Licenses') ?? '',
    orderRequestDate: optionalTimestamp(textOf(node, 'OrderRequestDate'), `${path}.OrderRequestDate`),
    orderIssueDate: optionalTimestamp(textOf(node, 'OrderIssueDate'), `${path}.OrderIssueDate`),
    orderCanceledDate: optionalTimestamp(textOf(node, 'OrderCanceledDate'), `${path}.OrderCanceledDate`),
    status: orderStateOf(statusCode),
    statusCode,
    organizationName: textOf(node, 'OrganizationName'),
    months: textOf(node, 'Months') ?? '',
    subId: textOf(node, 'SubId') ?? textOf(node, 'SubID'),
    fqdn: textOf(node, 'FQDN') ?? '',
  });
}

function issue(r: XmlNode): Body<IssueResult> {
  const payload = childOf(r, 'URLVerificationForIssue');
  return compact({
    certificateInfo: certificateInfo(
      childOf(payload, 'CertificateInfo'),
      'URLVerificationForIssue.CertificateInfo',
    ),
    fulfillment: fulfillment(childOf(payload, 'Fulfillment')),
  });
}

/**
 * One reader per operation, from the `Response` element of a successful answer (SuccessCode 0 or 1)
 * to the typed result without header fields.
 *
 * @example
 *   RESPONSE_READERS.dvOrder(response); // { orderId: 'CE1234' }
 */
export const RESPONSE_READERS = {
  decodeCsr: (r: XmlNode): Body<DecodeCsrResult> => {
    const data = childOf(r, 'CSRData');
    return {
      csrData: compact({ ...csrFields(data), emailAddress: textOf(data, 'EmailAddress') }),
      certificatePreview: csrFields(childOf(r, 'CertificatePreview')),
    };
  },

  validateOrderParameters: (r: XmlNode): Body<ValidateOrderParametersResult> => {
    const p = childOf(r, 'ParsedCSR');
    const t = (name: string): string => textOf(p, name) ?? '';
    return compact({
      price: textOf(r, 'Price'),
      currency: textOf(r, 'Currency'),
      validityPeriod: validityPeriod(childOf(r, 'ValidityPeriod'), 'ValidityPeriod'),
      parsedCsr: p
        ? {
            subject: t('Subject'),
            domainName: t('DomainName'),
            country: t('Country'),
            email: t('Email'),
            locality: t('Locality'),
            organization: t('Organization'),
            organizationUnit: t('OrganizationUnit'),
            state: t('State'),
            isValidDomainName: t('IsValidDomainName'),
          }
        : undefined,
    });
  },

  getDvApproverList: (r: XmlNode): Body<DvApproverListResult> => ({
    // Approvers reuse the element name SearchOrderDetail (WSDL).
    approvers: listOf(childOf(r, 'Approvers'), 'SearchOrderDetail').map((a) => ({
      type: textOf(a, 'ApproverType') ?? '',
      email: textOf(a, 'ApproverEmail') ?? '',
    })),
    orderId: requiredOrderId(r, 'OrderID'),
  }),

  orderId: (r: XmlNode): { orderId: string } => ({ orderId: requiredOrderId(r, 'OrderID') }),

  urlVerification: (r: XmlNode): Body<UrlVerificationResult> => ({
    orderId: requiredOrderId(r, 'OrderID'),
    metaTag: textOf(r, 'MetaTag') ?? '',
    verificationUrls: textsOf(childOf(r, 'VerificationURLList'), 'VerificationURL'),
  }),

  dvDnsOrder: (r: XmlNode): Body<DvDnsOrderResult> => ({
    orderId: requiredOrderId(r, 'OrderID'),
    dnsTxt: textOf(r, 'DNSTXT') ?? '',
    verificationFqdns: textsOf(childOf(r, 'VerificationFQDNList'), 'VerificationFQDN'),
  }),

  /** URLVerificationForIssue and DVDNSVerificationForIssue: both answer in `URLVerificationForIssue`. */
  issue,

  reissue: (r: XmlNode): { orderId: string; targetOrderId?: string } =>
    compact({ orderId: requiredOrderId(r, 'OrderID'), targetOrderId: textOf(r, 'TargetOrderID') }),

  changeSubjectAltName: (r: XmlNode): { orderId?: string; targetOrderId?: string } =>
    compact({ orderId: orderIdOf(r), targetOrderId: textOf(r, 'TargetOrderID') }),

  getOrderByOrderId: (r: XmlNode): { orderId: string; detail: OrderDetail } => {
    const detail = childOf(r, 'OrderDetail');
    if (!detail) throw new ResponseFormatError('missing OrderDetail');
    const d = readOrderDetail(detail);
    return { orderId: orderIdOf(r) ?? d.info.orderId, detail: d };
  },

  getModifiedOrders: (r: XmlNode): { from?: string; to?: string; orders: OrderDetail[] } =>
    compact({
      from: textOf(r, 'FromDate'),
      to: textOf(r, 'ToDate'),
      orders: listOf(childOf(r, 'OrderDetails'), 'OrderDetail').map((d, i) =>
        readOrderDetail(d, `OrderDetail[${i}]`),
      ),
    }),

  getCertificateOrders: (r: XmlNode): { orders: SearchOrder[] } => ({
    orders: listOf(childOf(r, 'SearchOrderDetails'), 'SearchOrderDetail').map((d, i) =>
      searchOrder(d, `SearchOrderDetail[${i}]`),
    ),
  }),
};
