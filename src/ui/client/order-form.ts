import { randomUUID } from 'node:crypto';
import type { TariffQuote } from '../../billing/quote-tariff-order.ts';
import { ADDON_LABELS, type Tariff } from '../../billing/tariff-repository.ts';
import { isAppError } from '../../core/errors/index.ts';
import { money, type Money } from '../../core/money.ts';
import type { PlaceCertificateOrderInput } from '../../billing/place-certificate-order.ts';

/** One text field of the organization data (OV/EV), named by its path in the order input. */
export interface OrganizationFieldSpec {
  readonly name: string;
  readonly label: string;
  readonly optional?: boolean;
}

const person = (path: string, who: string): OrganizationFieldSpec[] => [
  { name: `${path}.firstName`, label: `${who}: first name` },
  { name: `${path}.lastName`, label: `${who}: last name` },
  { name: `${path}.title`, label: `${who}: job title` },
  { name: `${path}.organizationName`, label: `${who}: organization` },
  { name: `${path}.organizationUnit`, label: `${who}: department` },
  { name: `${path}.phone`, label: `${who}: phone` },
  { name: `${path}.email`, label: `${who}: e-mail` },
];

/** OV and EV: the organization the certificate names (`readOrganizationDetails` checks them). */
export const ORGANIZATION_FIELDS: readonly OrganizationFieldSpec[] = [
  { name: 'organization.name', label: 'Organization name' },
  { name: 'organization.unit', label: 'Organization unit', optional: true },
  { name: 'organization.address.line1', label: 'Address' },
  { name: 'organization.address.line2', label: 'Address line 2', optional: true },
  { name: 'organization.address.city', label: 'City' },
  { name: 'organization.address.region', label: 'State or region' },
  { name: 'organization.address.postalCode', label: 'Postal code' },
  { name: 'organization.address.country', label: 'Country (two letters, e.g. GB)' },
  { name: 'organization.address.phone', label: 'Organization phone' },
];

/** EV only. `extendedValidation.businessCategory` is a select, listed apart. */
export const EV_FIELDS: readonly OrganizationFieldSpec[] = [
  { name: 'extendedValidation.assumedName', label: 'Assumed name (trading as)', optional: true },
  ...person('extendedValidation.requestor', 'Requestor'),
  ...person('extendedValidation.approver', 'EV approver'),
  { name: 'extendedValidation.signer.organizationName', label: 'Contract signer: organization' },
  { name: 'extendedValidation.signer.firstName', label: 'Contract signer: first name' },
  { name: 'extendedValidation.signer.lastName', label: 'Contract signer: last name' },
  { name: 'extendedValidation.signer.title', label: 'Contract signer: job title' },
  { name: 'extendedValidation.signer.phone', label: 'Contract signer: phone' },
  { name: 'extendedValidation.signer.email', label: 'Contract signer: e-mail' },
  { name: 'extendedValidation.jurisdiction.country', label: 'Jurisdiction country (two letters)' },
  { name: 'extendedValidation.jurisdiction.state', label: 'Jurisdiction state', optional: true },
  { name: 'extendedValidation.jurisdiction.locality', label: 'Jurisdiction locality', optional: true },
  { name: 'extendedValidation.jurisdiction.registrationNumber', label: 'Registration number' },
];

export const BUSINESS_CATEGORY_FIELD = 'extendedValidation.businessCategory';

/** The order form as typed: every field a string, so it can be shown again exactly as it was. */
export interface OrderForm {
  readonly tariffId: string;
  readonly years: string;
  readonly cn: string;
  readonly sans: string;
  /** `generate` ("Generate a request") or `existing` ("Existing request"). */
  readonly keyMode: string;
  /** `1` when "Do not save the key" is ticked. */
  readonly doNotSaveKey: string;
  readonly csr: string;
  /** `email`, `http` or `dns`. */
  readonly dcvMethod: string;
  readonly approverEmail: string;
  readonly idempotencyKey: string;
  /** Organization and EV fields by their path. */
  readonly org: Readonly<Record<string, string>>;
}

const ORG_NAMES = [...ORGANIZATION_FIELDS, ...EV_FIELDS].map((f) => f.name).concat(BUSINESS_CATEGORY_FIELD);

function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : '';
}

/** An empty form (the first visit), with a fresh idempotency key. */
export function emptyOrderForm(defaults: { tariffId?: string; years?: string } = {}): OrderForm {
  return {
    tariffId: defaults.tariffId ?? '',
    years: defaults.years ?? '',
    cn: '',
    sans: '',
    keyMode: 'generate',
    doNotSaveKey: '',
    csr: '',
    dcvMethod: 'email',
    approverEmail: '',
    idempotencyKey: newOrderKey(),
    org: {},
  };
}

export function newOrderKey(): string {
  return `panel-order-${randomUUID()}`;
}

/** Reads a posted order form; a missing idempotency key gets a fresh one. */
export function readOrderForm(body: unknown): OrderForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const org: Record<string, string> = {};
  for (const name of ORG_NAMES) {
    const value = str(b[name]);
    if (value !== '') org[name] = value;
  }
  const keyMode = str(b['keyMode']) === 'existing' ? 'existing' : 'generate';
  const dcvMethod = ['email', 'http', 'dns'].includes(str(b['dcvMethod'])) ? str(b['dcvMethod']) : 'email';
  return {
    tariffId: str(b['tariffId']).trim(),
    years: str(b['years']).trim(),
    cn: str(b['cn']).trim(),
    sans: str(b['sans']),
    keyMode,
    doNotSaveKey: str(b['doNotSaveKey']) === '1' ? '1' : '',
    csr: str(b['csr']).trim(),
    dcvMethod,
    approverEmail: str(b['approverEmail']).trim(),
    idempotencyKey: str(b['idempotencyKey']).trim() || newOrderKey(),
    org,
  };
}

/** The extra names as typed: one per line, or separated by commas or spaces. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function nest(values: Readonly<Record<string, string>>, prefix: string): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [path, value] of Object.entries(values)) {
    if (!path.startsWith(`${prefix}.`)) continue;
    any = true;
    const parts = path.slice(prefix.length + 1).split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      node = (node[part] ??= {}) as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }
  return any ? out : null;
}

/** The form as the input of `placeCertificateOrder` (the same input the API and the CLI build). */
export function orderInputOf(
  form: OrderForm,
  tariff: Pick<Tariff, 'id' | 'validation'>,
  clientId: number,
): PlaceCertificateOrderInput {
  const existing = form.keyMode === 'existing';
  const dcv =
    form.dcvMethod === 'email' && form.approverEmail !== '' ? `email:${form.approverEmail}` : form.dcvMethod;
  return {
    clientId,
    tariffId: tariff.id,
    years: Number(form.years),
    cn: form.cn,
    sans: splitNames(form.sans),
    ...(existing ? { csr: form.csr, generateKey: false } : { generateKey: true }),
    ...(!existing && form.doNotSaveKey === '1' ? { saveKey: false } : {}),
    ...(tariff.validation !== 'DV' ? { organization: nest(form.org, 'organization') ?? {} } : {}),
    ...(tariff.validation === 'EV' ? { extendedValidation: nest(form.org, 'extendedValidation') ?? {} } : {}),
    dcv,
    idempotencyKey: form.idempotencyKey,
  };
}

/** One row of the price split. */
export interface PriceRow {
  readonly kind: 'base' | 'uc-san' | 'additional-domain';
  readonly label: string;
  /** Names of this class on the order (1 for the certificate itself). */
  readonly count: number;
  /** Names charged (beyond those the tariff includes). */
  readonly charged: number;
  readonly unit: Money;
  readonly amount: Money;
}

export interface PriceSplit {
  readonly rows: readonly PriceRow[];
  readonly total: Money;
  readonly commonName: string;
  readonly names: readonly { readonly name: string; readonly addon: string; readonly label: string }[];
  readonly folded: readonly { readonly input: string; readonly name: string; readonly reason: string }[];
}

/**
 * The quote as the order form shows it: the certificate, then "Additional UC SANs domains" and
 * "Additional domains" with their counts (both always listed, 0 when none), then the total.
 */
export function priceSplitOf(quote: TariffQuote): PriceSplit {
  const line = (kind: PriceRow['kind']) => quote.lines.find((l) => l.kind === kind);
  const zero = money(0, quote.total.currency);
  const base = line('base')!;
  const addonRow = (kind: 'uc-san' | 'additional-domain', count: number): PriceRow => {
    const l = line(kind);
    return {
      kind,
      label: ADDON_LABELS[kind],
      count,
      charged: l?.quantity ?? 0,
      unit: l?.unit ?? zero,
      amount: l?.amount ?? zero,
    };
  };
  return {
    rows: [
      {
        kind: 'base',
        label: `Certificate, ${quote.years} year${quote.years === 1 ? '' : 's'}`,
        count: 1,
        charged: 1,
        unit: base.unit,
        amount: base.amount,
      },
      addonRow('uc-san', quote.ucSanCount),
      addonRow('additional-domain', quote.additionalDomainCount),
    ],
    total: quote.total,
    commonName: quote.cn,
    names: quote.names.map((n) => ({ name: n.name, addon: n.addon, label: ADDON_LABELS[n.addon] })),
    folded: quote.folded.map((f) => ({ input: f.input, name: f.name, reason: f.reason })),
  };
}

/** Where an error belongs on the form: the field its details name, else the top of the form (null). */
export function errorFieldOf(err: unknown, form: Pick<OrderForm, 'cn'>): string | null {
  if (!isAppError(err)) return null;
  const details = (err.details ?? {}) as Record<string, unknown>;
  const field = details['field'];
  if (typeof field === 'string') return field === 'saveKey' ? 'doNotSaveKey' : field;
  const code = err.code;
  if (code.startsWith('PROVISIONING_CSR_')) return 'csr';
  if (code === 'BILLING_PERIOD_NOT_SOLD') return 'years';
  if (code === 'BILLING_TARIFF_NOT_FOUND' || code === 'BILLING_TARIFF_INACTIVE') return 'tariffId';
  if (code === 'BILLING_WILDCARD_MISMATCH') return 'cn';
  if (code === 'BILLING_ADDON_NOT_SOLD' || code === 'DOMAIN_TOO_MANY_NAMES') return 'sans';
  if (code.startsWith('DOMAIN_')) {
    const name = typeof details['name'] === 'string' ? details['name'].trim() : null;
    return name !== null && name === form.cn.trim() ? 'cn' : 'sans';
  }
  return null;
}
