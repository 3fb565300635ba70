import { AppError } from '../core/errors/index.ts';
import type { ProductType } from '../domain/index.ts';
import type { EvPerson, ExtendedValidation, Organization } from '../provisioning/processing-module.ts';

/** What an OV or EV order tells the CA about the organization; stored with the service. */
export interface OrganizationDetails {
  readonly organization: Organization;
  /** EV only. */
  readonly extendedValidation?: ExtendedValidation;
}

export const BUSINESS_CATEGORIES = ['private-organization', 'government-entity', 'business-entity'] as const;

/**
 * Checks the organization data an OV/EV order needs (EV also business category, persons and
 * jurisdiction) and returns it trimmed; null for DV, which takes none. Every error is
 * BILLING_INVALID_ORDER with `details.field` naming the field, e.g. `organization.address.city`.
 * @example readOrganizationDetails('OV', { organization: { name: 'Example Ltd', address: { line1: '1 Example Street',
 *   city: 'London', region: 'London', postalCode: 'EC1A 1AA', country: 'GB', phone: '+44 20 7946 0000' } } })
 *   → { organization: { name: 'Example Ltd', … } }
 */
export function readOrganizationDetails(
  product: ProductType,
  input: { readonly organization?: unknown; readonly extendedValidation?: unknown },
): OrganizationDetails | null {
  const given = (v: unknown) => v !== undefined && v !== null;
  if (product === 'DV') {
    if (given(input.organization) || given(input.extendedValidation)) {
      invalid(
        given(input.organization) ? 'organization' : 'extendedValidation',
        'is for OV and EV certificates; a DV certificate names no organization',
      );
    }
    return null;
  }
  if (product === 'OV' && given(input.extendedValidation)) {
    invalid('extendedValidation', 'is for EV certificates only');
  }
  const organization = readOrganization(input.organization);
  if (product === 'OV') return { organization };
  return { organization, extendedValidation: readExtendedValidation(input.extendedValidation) };
}

function readOrganization(value: unknown): Organization {
  const o = object(value, 'organization', 'an OV or EV certificate names the organization');
  const a = object(o['address'], 'organization.address');
  const country = text(a, 'organization.address', 'country').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    invalid('organization.address.country', 'must be an ISO 3166 two-letter code, e.g. GB');
  const unit = optional(o, 'organization', 'unit');
  const line2 = optional(a, 'organization.address', 'line2');
  const line3 = optional(a, 'organization.address', 'line3');
  return {
    name: text(o, 'organization', 'name'),
    ...(unit ? { unit } : {}),
    address: {
      line1: text(a, 'organization.address', 'line1'),
      ...(line2 ? { line2 } : {}),
      ...(line3 ? { line3 } : {}),
      city: text(a, 'organization.address', 'city'),
      region: text(a, 'organization.address', 'region'),
      postalCode: text(a, 'organization.address', 'postalCode'),
      country,
      phone: text(a, 'organization.address', 'phone'),
    },
  };
}

function readExtendedValidation(value: unknown): ExtendedValidation {
  const ev = object(
    value,
    'extendedValidation',
    'an EV certificate needs business category, requestor, approver, signer and jurisdiction',
  );
  const category = text(ev, 'extendedValidation', 'businessCategory');
  const businessCategory = BUSINESS_CATEGORIES.find((c) => c === category);
  if (!businessCategory) {
    invalid('extendedValidation.businessCategory', `must be one of ${BUSINESS_CATEGORIES.join(', ')}`);
  }
  const signer = object(ev['signer'], 'extendedValidation.signer');
  const jurisdiction = object(ev['jurisdiction'], 'extendedValidation.jurisdiction');
  const assumedName = optional(ev, 'extendedValidation', 'assumedName');
  const state = optional(jurisdiction, 'extendedValidation.jurisdiction', 'state');
  const locality = optional(jurisdiction, 'extendedValidation.jurisdiction', 'locality');
  const s = (field: string) => text(signer, 'extendedValidation.signer', field);
  return {
    businessCategory,
    ...(assumedName ? { assumedName } : {}),
    requestor: readPerson(ev['requestor'], 'extendedValidation.requestor'),
    approver: readPerson(ev['approver'], 'extendedValidation.approver'),
    signer: {
      organizationName: s('organizationName'),
      firstName: s('firstName'),
      lastName: s('lastName'),
      title: s('title'),
      phone: s('phone'),
      email: email(signer, 'extendedValidation.signer'),
    },
    jurisdiction: {
      country: text(jurisdiction, 'extendedValidation.jurisdiction', 'country').toUpperCase(),
      ...(state ? { state } : {}),
      ...(locality ? { locality } : {}),
      registrationNumber: text(jurisdiction, 'extendedValidation.jurisdiction', 'registrationNumber'),
    },
  };
}

function readPerson(value: unknown, path: string): EvPerson {
  const p = object(value, path);
  const t = (field: string) => text(p, path, field);
  return {
    firstName: t('firstName'),
    lastName: t('lastName'),
    title: t('title'),
    organizationName: t('organizationName'),
    organizationUnit: t('organizationUnit'),
    phone: t('phone'),
    email: email(p, path),
  };
}

function object(value: unknown, path: string, why?: string): Record<string, unknown> {
  if (value === undefined || value === null) invalid(path, `is missing${why ? ` (${why})` : ''}`);
  if (typeof value !== 'object' || Array.isArray(value)) invalid(path, 'must be an object');
  return value as Record<string, unknown>;
}

function text(o: Record<string, unknown>, path: string, field: string): string {
  const value = o[field];
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    invalid(`${path}.${field}`, 'is missing');
  }
  if (typeof value !== 'string') invalid(`${path}.${field}`, 'must be text');
  if (value.length > 255) invalid(`${path}.${field}`, 'is longer than 255 characters');
  return value.trim();
}

function optional(o: Record<string, unknown>, path: string, field: string): string | undefined {
  const value = o[field];
  if (value === undefined || value === null || value === '') return undefined;
  return text(o, path, field);
}

function email(o: Record<string, unknown>, path: string): string {
  const value = text(o, path, 'email');
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) invalid(`${path}.email`, 'is not an e-mail address');
  return value;
}

function invalid(field: string, problem: string): never {
  throw new AppError('BILLING_INVALID_ORDER', `Organization data: ${field} ${problem}.`, { field });
}
