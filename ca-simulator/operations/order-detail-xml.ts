import { formatMoney } from '../../src/core/money.ts';
import { child, text, type XmlNode } from '../soap/soap-request.ts';
import { formatIsoTimestamp } from '../soap/timestamp.ts';
import { el, maybe, nil, opt, type Xml } from '../soap/xml-writer.ts';
import type { SimulatorContext } from '../simulator-context.ts';
import type { Order } from '../state/simulator-data.ts';

/** The Return* switches of an OrderQueryOption block ("true"/"false", any case). */
export interface QueryOptions {
  orderOption: boolean;
  certificateInfo: boolean;
  fulfillment: boolean;
  caCerts: boolean;
  originalCsr: boolean;
  sanEntries: boolean;
}

export function readQueryOptions(req: XmlNode): QueryOptions {
  const q = child(req, 'OrderQueryOption');
  const on = (name: string): boolean => /^true$/i.test(text(q, name) ?? '');
  return {
    orderOption: on('ReturnOrderOption'),
    certificateInfo: on('ReturnCertificateInfo'),
    fulfillment: on('ReturnFulfillment'),
    caCerts: !/^false$/i.test(text(q, 'ReturnCACerts') ?? ''),
    originalCsr: on('ReturnOriginalCSR'),
    sanEntries: on('ReturnSANEntries'),
  };
}

export function ts(ctx: SimulatorContext, iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : formatIsoTimestamp(iso, ctx.settings.utcOffset);
}

/** Minor units as GlobalSign's decimal Price. */
export function formatPrice(amountMinor: number, currency: string): string {
  return formatMoney({ amountMinor, currency });
}

const KIND: Record<string, string> = { new: 'New', renewal: 'Renewal', transfer: 'Transfer' };

type Spec = Array<[string, 'req' | 'nil' | 'opt']>;

/** A flat block from stored fields: required → element ('' if unknown), nil → xsi:nil, opt → omitted. */
function block(name: string, spec: Spec, values: Record<string, string> | undefined): Xml {
  const v = values ?? {};
  return el(
    name,
    spec.map(([n, kind]) =>
      kind === 'req' ? el(n, v[n] ?? '') : kind === 'nil' ? opt(n, v[n]) : maybe(n, v[n]),
    ),
  );
}

const CONTACT: Spec = [
  ['FirstName', 'req'],
  ['LastName', 'req'],
  ['Phone', 'req'],
  ['Email', 'req'],
];
const SECOND_CONTACT: Spec = [
  ['FirstName', 'req'],
  ['LastName', 'req'],
  ['Email', 'req'],
];
const REQUESTOR: Spec = [
  ['FirstName', 'req'],
  ['LastName', 'req'],
  ['Function', 'req'],
  ['OrganizationName', 'req'],
  ['OrganizationUnit', 'req'],
  ['Phone', 'req'],
  ['Email', 'req'],
];
const SIGNER: Spec = [
  ['OrganizationName', 'req'],
  ['FirstName', 'req'],
  ['LastName', 'req'],
  ['Function', 'req'],
  ['Phone', 'req'],
  ['Email', 'req'],
];
const JURISDICTION: Spec = [
  ['JurisdictionCountry', 'req'],
  ['JurisdictionState', 'nil'],
  ['JurisdictionLocality', 'nil'],
  ['IncorporationAgencyRegistrationNumber', 'req'],
];
const ADDRESS: Spec = [
  ['AddressLine1', 'req'],
  ['AddressLine2', 'nil'],
  ['AddressLine3', 'nil'],
  ['City', 'req'],
  ['Region', 'req'],
  ['PostalCode', 'nil'],
  ['Country', 'req'],
  ['Phone', 'req'],
  ['Fax', 'nil'],
];

function orderInfo(ctx: SimulatorContext, o: Order): Xml {
  const custom = !!(o.requestedNotBefore || o.requestedNotAfter);
  return el('OrderInfo', [
    el('OrderId', o.orderId),
    opt('OriginalOrderIDForRenewal', o.renewalTargetOrderId),
    opt('OriginalOrderIDForReIssue', o.reissueOfOrderId),
    el('ProductCode', o.productCode),
    opt('BaseOption', o.baseOption),
    el('OrderKind', KIND[o.orderKind] ?? o.orderKind),
    el('Licenses', o.licenses),
    el('ExpressOption', 'false'),
    el('ValidityPeriodCustomizeOption', String(custom)),
    el('InsuranceOption', 'false'),
    el('GSSupportOption', 'false'),
    el('RenewalExtentionOption', 'false'),
    el('DomainName', o.fqdn),
    el('OrderDate', ts(ctx, o.orderDate)!),
    opt('OrderCompleteDate', ts(ctx, o.completeDate)),
    opt('OrderCanceledDate', ts(ctx, o.canceledDate)),
    opt('OrderDeactivatedDate', ts(ctx, o.deactivatedDate)),
    el('OrderStatus', o.status),
    el('Price', formatPrice(o.priceMinor, o.currency)),
    el('Currency', o.currency),
    el('ValidityPeriod', [
      el('Months', o.months),
      opt('NotBefore', ts(ctx, o.requestedNotBefore)),
      opt('NotAfter', ts(ctx, o.requestedNotAfter)),
    ]),
    opt('SpecialInstructions', o.specialInstructions),
  ]);
}

function orderSubInfo(o: Order): Xml {
  return el('OrderSubInfo', [
    el('CSRSkipOrderFlag', 'false'),
    el('DNSOrderFlag', String(o.dcv === 'dns')),
    el('TrustedOrderFlag', 'false'),
    el('P12DeleteStatus', 'false'),
    nil('P12DeleteDate'),
    nil('VerificationUrl'),
    el('SubId', o.subId ?? ''),
  ]);
}

function orderOption(ctx: SimulatorContext, o: Order): Xml {
  const org = o.organization;
  return el('OrderOption', [
    opt('ApproverNotifiedDate', ts(ctx, o.approverNotifiedAt)),
    opt('ApproverConfirmDate', ts(ctx, o.approverConfirmedAt)),
    opt('ApproverEmailAddress', o.approverEmail),
    el('OrganizationInfo', [
      el('OrganizationName', org?.fields['OrganizationName'] ?? ''),
      opt('CreditAgency', org?.fields['CreditAgency']),
      opt('OrganizationCode', org?.fields['OrganizationCode']),
      opt('BusinessAssumedName', org?.fields['BusinessAssumedName']),
      opt('BusinessCategoryCode', org?.fields['BusinessCategoryCode']),
      block('OrganizationAddress', ADDRESS, org?.address),
    ]),
    o.requestor ? block('RequestorInfo', REQUESTOR, o.requestor) : nil('RequestorInfo'),
    o.approver ? block('ApproverInfo', REQUESTOR, o.approver) : nil('ApproverInfo'),
    o.authorizedSigner
      ? block('AuthorizedSignerInfo', SIGNER, o.authorizedSigner)
      : nil('AuthorizedSignerInfo'),
    o.jurisdiction ? block('JurisdictionInfo', JURISDICTION, o.jurisdiction) : nil('JurisdictionInfo'),
    o.contact ? block('ContactInfo', CONTACT, o.contact) : nil('ContactInfo'),
    o.secondContact ? block('SecondContactInfo', SECOND_CONTACT, o.secondContact) : nil('SecondContactInfo'),
  ]);
}

/** CertificateInfo of an issued order (nil before issue). */
export function certificateInfo(ctx: SimulatorContext, o: Order): Xml {
  const c = o.certificate;
  if (!c) return nil('CertificateInfo');
  return el('CertificateInfo', [
    el('CertificateStatus', o.status),
    el('StartDate', ts(ctx, c.notBefore)!),
    el('EndDate', ts(ctx, c.notAfter)!),
    el('CommonName', o.fqdn),
    el('SerialNumber', c.serialNumber),
    el('SubjectName', c.subjectName),
    opt('DNSNames', [...c.dnsNames, ...c.ipAddresses].join(',')),
  ]);
}

// Polling answers repeat the same certificates; their XML is rendered once per certificate.
const caXml = new WeakMap<object, Xml>();
const serverXml = new WeakMap<object, Xml>();

function caCertificates(ctx: SimulatorContext): Xml {
  let xml = caXml.get(ctx.ca);
  if (xml === undefined) {
    xml = el('CACertificates', [
      el('CACertificate', [el('CACertType', 'ROOT'), el('CACert', ctx.ca.rootPem)]),
      el('CACertificate', [el('CACertType', 'INTER'), el('CACert', ctx.ca.intermediatePem)]),
    ]);
    caXml.set(ctx.ca, xml);
  }
  return xml;
}

function serverCertificate(ctx: SimulatorContext, o: Order): Xml {
  const cert = o.certificate!;
  let xml = serverXml.get(cert);
  if (xml === undefined) {
    xml = el('ServerCertificate', [el('X509Cert', cert.pem), el('PKCS7Cert', ctx.ca.pkcs7(cert.pem))]);
    serverXml.set(cert, xml);
  }
  return xml;
}

/** `Fulfillment` as in the ForIssue responses (CACertificates + ServerCertificate). */
export function fulfillment(ctx: SimulatorContext, o: Order): Xml {
  if (!o.certificate) return nil('Fulfillment');
  return el('Fulfillment', [caCertificates(ctx), serverCertificate(ctx, o)]);
}

/** The `URLVerificationForIssue` object both ForIssue operations answer with. */
export function verificationForIssue(ctx: SimulatorContext, o: Order): Xml {
  return el('URLVerificationForIssue', [certificateInfo(ctx, o), fulfillment(ctx, o)]);
}

function sanEntriesXml(o: Order): Xml {
  if (!o.sanEntries.length) return nil('SANEntries');
  return el(
    'SANEntries',
    o.sanEntries.map((e) => el('SANEntry', [el('SANOptionType', e.type), el('SubjectAltName', e.name)])),
  );
}

export function orderDetail(ctx: SimulatorContext, o: Order, q: QueryOptions): Xml {
  const issued = !!o.certificate;
  return el('OrderDetail', [
    orderInfo(ctx, o),
    orderSubInfo(o),
    q.orderOption ? orderOption(ctx, o) : nil('OrderOption'),
    q.certificateInfo ? certificateInfo(ctx, o) : nil('CertificateInfo'),
    q.sanEntries ? sanEntriesXml(o) : nil('SANEntries'),
    q.fulfillment && (issued || q.originalCsr)
      ? el('Fulfillment', [
          issued && q.caCerts ? caCertificates(ctx) : nil('CACertificates'),
          issued ? serverCertificate(ctx, o) : nil('ServerCertificate'),
          q.originalCsr ? el('OriginalCSR', o.csrPem) : nil('OriginalCSR'),
          nil('PKCS12Cert'),
        ])
      : nil('Fulfillment'),
    o.events.length
      ? el(
          'ModificationEvents',
          o.events.map((e) =>
            el('ModificationEvent', [
              el('ModificationEventName', e.name),
              el('ModificationEventTimestamp', ts(ctx, e.at)!),
            ]),
          ),
        )
      : nil('ModificationEvents'),
  ]);
}

/** One row of GetCertificateOrders (SearchOrderDetail). */
export function searchOrderDetail(ctx: SimulatorContext, o: Order): Xml {
  return el('SearchOrderDetail', [
    el('OrderID', o.orderId),
    opt('BaseOption', o.baseOption),
    el('ProductCode', o.productCode),
    el('OrderKind', KIND[o.orderKind] ?? o.orderKind),
    el('Licenses', Number(o.licenses) || 1),
    el('OrderRequestDate', ts(ctx, o.orderDate)!),
    opt('OrderIssueDate', ts(ctx, o.completeDate)),
    opt('OrderCanceledDate', ts(ctx, o.canceledDate)),
    el('OrderStatus', o.status),
    el('OrganizationName', o.organization?.fields['OrganizationName'] ?? ''),
    el('Months', o.months),
    el('SubId', o.subId ?? ''),
    el('FQDN', o.fqdn),
  ]);
}
