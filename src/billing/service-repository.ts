import type { Kysely, Selectable } from 'kysely';
import type { OrganizationDetails } from './read-organization-details.ts';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import { storedMoney } from './stored-money.ts';
import { formatUtcDate, paidUntilShown, type ClassifiedName, type PriceLine } from '../domain/index.ts';
import type { Database as Schema, ServicesTable } from '../db/schema.ts';
import type { CertificateProductCode } from './certificate-products.ts';
import type { LifecycleTables } from '../db/schema-lifecycle.ts';
import type { ValidationInstructions } from '../provisioning/processing-module.ts';
import { readJsonColumn } from '../db/json-column.ts';

export const SERVICE_STATUSES = [
  'ordered',
  'in_progress',
  'active',
  'expired',
  'cancelled',
  'failed',
] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const SERVICE_KINDS = ['new', 'renewal'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export const DCV_METHODS = ['email', 'http', 'dns'] as const;
export type DcvMethod = (typeof DCV_METHODS)[number];

/** How the CA checks domain control; `email` without an address takes the CA's first approver. */
export interface DcvChoice {
  readonly method: DcvMethod;
  readonly email: string | null;
}

/** What provisioning needs from the order to place it at the CA. */
export interface ProvisioningParameters {
  /** The client's CSR (PEM), or null when certbill generates the key and CSR. */
  readonly csr: string | null;
  readonly generateKey: boolean;
  /**
   * False when the client chose "Do not save the key": certbill generated the key at order time,
   * returned it once and stored only the CSR, so no private key is ever sealed for this service.
   */
  readonly saveKey: boolean;
  /** OV/EV: the organization data given to the CA; null for DV. */
  readonly organization: OrganizationDetails | null;
  /** Null for OV/EV, whose domains the CA vets itself. */
  readonly dcv: DcvChoice | null;
}

/** A paid term: what was bought, for how long, for how much. Certificates are its generations. */
export interface Service {
  readonly id: number;
  readonly clientId: number;
  readonly accountId: number;
  readonly tariffId: number;
  readonly productType: string;
  readonly product: CertificateProductCode;
  readonly wildcard: boolean;
  readonly kind: ServiceKind;
  /** For a renewal: the service whose paid period it continues. */
  readonly previousServiceId: number | null;
  readonly status: ServiceStatus;
  readonly years: number;
  readonly commonName: string;
  /** SANs with their addon class and GlobalSign SANOptionType, in order. */
  readonly names: readonly ClassifiedName[];
  readonly price: { readonly total: Money; readonly lines: readonly PriceLine[] };
  readonly provisioning: ProvisioningParameters;
  /** Issue instant of the first certificate: the paid period starts there. */
  readonly firstIssuedAt: string | null;
  /** End of the paid period (instant); null until the first certificate is issued. */
  readonly paidUntil: string | null;
  readonly cancelledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The certificate in use (latest issued generation), if any. */
  readonly certificate: IssuedCertificateSummary | null;
  /** The generation working towards a certificate (first issue or reissue), if any. */
  readonly pendingCertificate: PendingCertificateSummary | null;
}

export interface IssuedCertificateSummary {
  readonly seq: number;
  readonly caOrderId: string | null;
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  readonly reissueAt: string | null;
}

export interface PendingCertificateSummary {
  readonly seq: number;
  /** `intent` | `ordered` | `awaiting_validation` | `failed` */
  readonly state: string;
  readonly caOrderId: string | null;
  readonly validation: ValidationInstructions | null;
  /** The last problem (a failed validation check, a held or refused order). */
  readonly lastError: string | null;
}

/**
 * What the client must do for a certificate to be issued: the pending CA order and its instructions
 * (approver address, HTTP file path and content, DNS TXT record).
 * @example { caOrderId: 'CESM2604020001', state: 'awaiting_validation', instructions: { method: 'dns', recordType: 'TXT', value: 'globalsign-domain-verification=…', names: ['example.com'] }, lastError: null }
 */
export interface ServiceValidationView {
  readonly caOrderId: string | null;
  readonly state: string;
  readonly instructions: ValidationInstructions | null;
  readonly lastError: string | null;
}

/**
 * A service as the client area, the API and `certbill service show` present it. The certificate
 * fields (`expirationDate`, `caOrderId`, `nextReissueAt`, `validation`) come from the current
 * certificate generation and stay null until provisioning issues one.
 */
export interface ServiceView {
  readonly id: number;
  readonly clientId: number;
  readonly tariffId: number;
  readonly product: CertificateProductCode;
  readonly wildcard: boolean;
  readonly kind: ServiceKind;
  readonly previousServiceId: number | null;
  readonly status: ServiceStatus;
  readonly years: number;
  readonly commonName: string;
  readonly names: readonly ClassifiedName[];
  readonly price: { readonly total: Money; readonly lines: readonly PriceLine[] };
  readonly dcv: DcvChoice | null;
  readonly csrProvided: boolean;
  readonly generateKey: boolean;
  /** False when the private key is not kept by certbill ("Do not save the key"). */
  readonly keySaved: boolean;
  readonly orderedAt: string;
  readonly firstIssuedAt: string | null;
  /** `YYYY-MM-DD` of the end of the paid period. */
  readonly paidUntil: string | null;
  /** The same as an instant. */
  readonly paidUntilAt: string | null;
  /** What the client area shows as *Paid until*: null for a one-year purchase. */
  readonly paidUntilShown: string | null;
  readonly expirationDate: string | null;
  readonly caOrderId: string | null;
  readonly nextReissueAt: string | null;
  readonly validation: ServiceValidationView | null;
  /** True while the CA waits for the client: publish the file or record, or approve the e-mail. */
  readonly clientMustAct: boolean;
  readonly cancelledAt: string | null;
}

export function viewService(service: Service): ServiceView {
  const paidUntil = service.paidUntil ? new Date(service.paidUntil) : null;
  return {
    id: service.id,
    clientId: service.clientId,
    tariffId: service.tariffId,
    product: service.product,
    wildcard: service.wildcard,
    kind: service.kind,
    previousServiceId: service.previousServiceId,
    status: service.status,
    years: service.years,
    commonName: service.commonName,
    names: service.names,
    price: service.price,
    dcv: service.provisioning.dcv,
    csrProvided: service.provisioning.csr !== null,
    generateKey: service.provisioning.generateKey,
    keySaved: service.provisioning.saveKey,
    orderedAt: service.createdAt,
    firstIssuedAt: service.firstIssuedAt,
    paidUntil: paidUntil ? formatUtcDate(paidUntil) : null,
    paidUntilAt: service.paidUntil,
    paidUntilShown: paidUntil ? paidUntilShown(paidUntil, service.years) : null,
    expirationDate: service.certificate?.notAfter
      ? formatUtcDate(new Date(service.certificate.notAfter))
      : null,
    caOrderId: service.certificate?.caOrderId ?? service.pendingCertificate?.caOrderId ?? null,
    nextReissueAt: service.certificate?.reissueAt ?? null,
    validation: service.pendingCertificate
      ? {
          caOrderId: service.pendingCertificate.caOrderId,
          state: service.pendingCertificate.state,
          instructions: service.pendingCertificate.validation,
          lastError: service.pendingCertificate.lastError,
        }
      : null,
    clientMustAct: service.pendingCertificate?.state === 'awaiting_validation',
    cancelledAt: service.cancelledAt,
  };
}

/** A json column that is never null. */
const readJson = <T>(value: unknown): T => readJsonColumn<T>(value) as T;

type GenerationRow = Pick<
  Selectable<LifecycleTables['certificate_generations']>,
  | 'service_id'
  | 'seq'
  | 'state'
  | 'ca_order_id'
  | 'not_before'
  | 'not_after'
  | 'reissue_at'
  | 'validation'
  | 'last_error'
>;

function certificateOf(generations: readonly GenerationRow[]): IssuedCertificateSummary | null {
  const issued = generations.filter((g) => g.state === 'issued').at(-1);
  if (!issued) return null;
  return {
    seq: issued.seq,
    caOrderId: issued.ca_order_id,
    notBefore: issued.not_before,
    notAfter: issued.not_after,
    reissueAt: issued.reissue_at,
  };
}

function pendingOf(generations: readonly GenerationRow[]): PendingCertificateSummary | null {
  const last = generations.at(-1);
  if (!last || last.state === 'issued' || last.state === 'superseded' || last.state === 'expired')
    return null;
  return {
    seq: last.seq,
    state: last.state,
    caOrderId: last.ca_order_id,
    validation: last.validation === null ? null : readJson<ValidationInstructions>(last.validation),
    lastError: last.last_error,
  };
}

function toService(row: Selectable<ServicesTable>, generations: readonly GenerationRow[] = []): Service {
  const lines = readJson<PriceLine[]>(row.price_lines);
  return {
    id: row.id,
    clientId: row.client_id,
    accountId: row.account_id,
    tariffId: row.tariff_id,
    productType: row.product_type,
    product: row.product as CertificateProductCode,
    wildcard: row.wildcard === 1,
    kind: row.kind as ServiceKind,
    previousServiceId: row.previous_service_id,
    status: row.status as ServiceStatus,
    years: row.period_years,
    commonName: row.common_name,
    names: readJson<ClassifiedName[]>(row.names),
    price: { total: storedMoney(row.price_total_minor, row.currency), lines },
    provisioning: {
      csr: row.csr,
      generateKey: row.generate_key === 1,
      saveKey: Number(row.save_key) === 1,
      organization: row.organization === null ? null : readJson<OrganizationDetails>(row.organization),
      dcv: row.dcv_method ? { method: row.dcv_method as DcvMethod, email: row.dcv_email } : null,
    },
    firstIssuedAt: row.first_issued_at,
    paidUntil: row.paid_until,
    cancelledAt: row.cancelled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    certificate: certificateOf(generations),
    pendingCertificate: pendingOf(generations),
  };
}

export async function findService(db: Kysely<Schema>, id: number): Promise<Service | null> {
  return (await loadServices(db, { ids: [id] }))[0] ?? null;
}

export async function getService(db: Kysely<Schema>, id: number): Promise<Service> {
  const service = await findService(db, id);
  if (!service) throw serviceNotFound(id);
  return service;
}

export function serviceNotFound(id: number): AppError {
  return new AppError('BILLING_SERVICE_NOT_FOUND', `Service ${id} does not exist.`, { serviceId: id });
}

export interface ServiceFilter {
  readonly clientId?: number;
  readonly status?: ServiceStatus;
  readonly limit?: number;
}

/** Services, newest first. */
export async function listServices(db: Kysely<Schema>, filter: ServiceFilter = {}): Promise<Service[]> {
  return loadServices(db, filter);
}

async function loadServices(
  db: Kysely<Schema>,
  filter: ServiceFilter & { ids?: number[] },
): Promise<Service[]> {
  let query = db
    .selectFrom('services')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 1000);
  if (filter.ids) query = query.where('id', 'in', filter.ids);
  if (filter.clientId !== undefined) query = query.where('client_id', '=', filter.clientId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const generations = await (db as unknown as Kysely<LifecycleTables>)
    .selectFrom('certificate_generations')
    .select([
      'service_id',
      'seq',
      'state',
      'ca_order_id',
      'not_before',
      'not_after',
      'reissue_at',
      'validation',
      'last_error',
    ])
    .where(
      'service_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('seq')
    .execute();
  return rows.map((row) =>
    toService(
      row,
      generations.filter((g) => Number(g.service_id) === row.id),
    ),
  );
}
