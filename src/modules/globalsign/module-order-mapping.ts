import { isIP } from 'node:net';
import { AppError } from '../../core/errors/index.ts';
import { UC_SAN_PREFIXES } from '../../domain/prepare-certificate-names.ts';
import type {
  Contact,
  DcvMethod,
  ExtendedValidation,
  Organization,
  PlaceOrderInput,
  ProductFamily,
} from '../../provisioning/processing-module.ts';
import type {
  BusinessCategory,
  ContactInput,
  EvOrderInput,
  OrderParameters,
  OvOrganizationInput,
  SanEntryInput,
  SanKind,
} from './types.ts';

/**
 * The GlobalSign ProductCode of each product family and DCV method (OV and EV have one code: the
 * CA vets their domains itself).
 *
 * @example PRODUCT_CODES.DV.http; // 'DV_HIGH_URL'
 */
export const PRODUCT_CODES: Readonly<Record<ProductFamily, Readonly<Record<DcvMethod, string>>>> = {
  DV_LOW: { email: 'DV_LOW', http: 'DV_LOW_URL', dns: 'DV_LOW_DNS' },
  DV: { email: 'DV', http: 'DV_HIGH_URL', dns: 'DV_HIGH_DNS' },
  OV: { email: 'OV', http: 'OV', dns: 'OV' },
  EV: { email: 'EV', http: 'EV', dns: 'EV' },
};

export function isDv(product: ProductFamily): boolean {
  return product === 'DV_LOW' || product === 'DV';
}

/** The name a DV approver list or DNS check is asked for: the CN without its wildcard label. */
export function baseNameOf(commonName: string): string {
  return commonName.replace(/^\*\./, '');
}

/**
 * GlobalSign's SANOptionType for a SAN of `commonName`: www/owa/mail/autodiscover directly under the
 * CN's base are UC SANs (free at GlobalSign), other subdomains of the base are subdomain SANs, then
 * IP addresses, wildcards and any other name.
 *
 * @example sanKindOf('example.com', 'mail.example.com'); // 'uc'
 */
export function sanKindOf(commonName: string, name: string): SanKind {
  if (isIP(name)) return isPrivateIp(name) ? 'private-ip' : 'public-ip';
  if (name.startsWith('*.')) return 'wildcard';
  const base = baseNameOf(commonName).replace(/^www\./, '');
  const dot = name.indexOf('.');
  if (
    dot > 0 &&
    name.slice(dot + 1) === base &&
    (UC_SAN_PREFIXES as readonly string[]).includes(name.slice(0, dot))
  ) {
    return 'uc';
  }
  if (name.endsWith(`.${base}`)) return 'subdomain';
  return 'fqdn';
}

function isPrivateIp(ip: string): boolean {
  if (isIP(ip) === 6) return /^(fc|fd|fe80|::1$)/i.test(ip);
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** SAN entries for the wire, the CN itself left out (GlobalSign puts it in the certificate anyway). */
export function sanEntriesOf(commonName: string, sans: readonly string[] | undefined): SanEntryInput[] {
  const cn = commonName.toLowerCase();
  return (sans ?? [])
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '' && s !== cn)
    .map((name) => ({ kind: sanKindOf(cn, name), name }));
}

function invalidOrder(field: string, problem: string): AppError {
  return new AppError('PROVISIONING_INVALID_ORDER', `The order's ${field} ${problem}.`, { field });
}

function requireText(value: string | undefined, field: string): string {
  if (value === undefined || value.trim() === '') throw invalidOrder(field, 'is missing');
  return value.trim();
}

export function contactOf(contact: Contact | undefined): ContactInput {
  if (!contact) throw invalidOrder('contact', 'is missing (first name, last name, phone, e-mail)');
  return {
    firstName: requireText(contact.firstName, 'contact.firstName'),
    lastName: requireText(contact.lastName, 'contact.lastName'),
    phone: requireText(contact.phone, 'contact.phone'),
    email: requireText(contact.email, 'contact.email'),
  };
}

/** `OrderRequestParameter` of an order: the product code of its DCV method, wildcard, SAN option. */
export function orderParametersOf(input: PlaceOrderInput, method: DcvMethod): OrderParameters {
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > 72) {
    throw invalidOrder('months', `must be a whole number from 1 to 72, got ${input.months}`);
  }
  const sans = sanEntriesOf(input.commonName, input.sans);
  return {
    productCode: PRODUCT_CODES[input.product][method],
    ...(input.commonName.startsWith('*.') ? { baseOption: 'wildcard' } : {}),
    orderKind: input.renewalOf ? 'renewal' : 'new',
    ...(sans.length ? { options: [{ name: 'SAN', value: 'true' }] } : {}),
    validity: { months: input.months, ...(input.notAfter ? { notAfter: input.notAfter } : {}) },
    csr: requireText(input.csr, 'csr'),
    ...(input.renewalOf ? { renewalTargetOrderId: input.renewalOf } : {}),
  };
}

const CREDIT_AGENCIES = { duns: '1', tdb: '2' } as const;

export function ovOrganizationOf(org: Organization | undefined): OvOrganizationInput {
  if (!org) throw invalidOrder('organization', 'is missing (an OV certificate names the organization)');
  const a = org.address;
  return {
    name: requireText(org.name, 'organization.name'),
    ...(org.creditAgency ? { creditAgency: CREDIT_AGENCIES[org.creditAgency] } : {}),
    ...(org.registrationCode ? { organizationCode: org.registrationCode } : {}),
    address: {
      ...(a.line1 ? { addressLine1: a.line1 } : {}),
      ...(a.line2 ? { addressLine2: a.line2 } : {}),
      ...(a.line3 ? { addressLine3: a.line3 } : {}),
      city: requireText(a.city, 'organization.address.city'),
      region: requireText(a.region, 'organization.address.region'),
      postalCode: requireText(a.postalCode, 'organization.address.postalCode'),
      country: requireText(a.country, 'organization.address.country').toUpperCase(),
      phone: requireText(a.phone, 'organization.address.phone'),
      ...(a.fax ? { fax: a.fax } : {}),
    },
  };
}

const BUSINESS_CATEGORIES: Readonly<Record<ExtendedValidation['businessCategory'], BusinessCategory>> = {
  'private-organization': 'PO',
  'government-entity': 'GE',
  'business-entity': 'BE',
};

/** The EV-specific blocks of EVOrder (the order parameters, contact and SANs are added by the caller). */
export function evPartiesOf(
  org: Organization | undefined,
  ev: ExtendedValidation | undefined,
): Omit<EvOrderInput, 'order' | 'contact' | 'sanEntries'> {
  if (!org) throw invalidOrder('organization', 'is missing (an EV certificate names the organization)');
  if (!ev) {
    throw invalidOrder(
      'extendedValidation',
      'is missing (business category, requestor, approver, signer, jurisdiction)',
    );
  }
  const a = org.address;
  const person = (p: ExtendedValidation['requestor'], field: string) => ({
    firstName: requireText(p.firstName, `${field}.firstName`),
    lastName: requireText(p.lastName, `${field}.lastName`),
    function: requireText(p.title, `${field}.title`),
    organizationName: requireText(p.organizationName, `${field}.organizationName`),
    organizationUnit: requireText(p.organizationUnit, `${field}.organizationUnit`),
    phone: requireText(p.phone, `${field}.phone`),
    email: requireText(p.email, `${field}.email`),
  });
  const s = ev.signer;
  return {
    organization: {
      ...(ev.assumedName ? { businessAssumedName: ev.assumedName } : {}),
      ...(org.creditAgency ? { creditAgency: CREDIT_AGENCIES[org.creditAgency] } : {}),
      ...(org.registrationCode ? { organizationCode: org.registrationCode } : {}),
      businessCategory: BUSINESS_CATEGORIES[ev.businessCategory],
      address: {
        addressLine1: requireText(a.line1, 'organization.address.line1'),
        ...(a.line2 ? { addressLine2: a.line2 } : {}),
        ...(a.line3 ? { addressLine3: a.line3 } : {}),
        city: requireText(a.city, 'organization.address.city'),
        region: requireText(a.region, 'organization.address.region'),
        ...(a.postalCode ? { postalCode: a.postalCode } : {}),
        country: requireText(a.country, 'organization.address.country').toUpperCase(),
        phone: requireText(a.phone, 'organization.address.phone'),
        ...(a.fax ? { fax: a.fax } : {}),
      },
    },
    requestor: person(ev.requestor, 'extendedValidation.requestor'),
    approver: person(ev.approver, 'extendedValidation.approver'),
    authorizedSigner: {
      organizationName: requireText(s.organizationName, 'extendedValidation.signer.organizationName'),
      firstName: requireText(s.firstName, 'extendedValidation.signer.firstName'),
      lastName: requireText(s.lastName, 'extendedValidation.signer.lastName'),
      function: requireText(s.title, 'extendedValidation.signer.title'),
      phone: requireText(s.phone, 'extendedValidation.signer.phone'),
      email: requireText(s.email, 'extendedValidation.signer.email'),
    },
    jurisdiction: {
      country: requireText(ev.jurisdiction.country, 'extendedValidation.jurisdiction.country').toUpperCase(),
      ...(ev.jurisdiction.state ? { state: ev.jurisdiction.state } : {}),
      ...(ev.jurisdiction.locality ? { locality: ev.jurisdiction.locality } : {}),
      incorporationAgencyRegistrationNumber: requireText(
        ev.jurisdiction.registrationNumber,
        'extendedValidation.jurisdiction.registrationNumber',
      ),
    },
  };
}
