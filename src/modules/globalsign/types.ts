import type { OrderState } from './status-table.ts';

/**
 * Public input and output types of the GlobalSign client, in certbill's words (camelCase).
 * Values GlobalSign sends as text stay text (prices, licences, months, product codes, ids) except
 * timestamps (→ Date), booleans (→ boolean) and statuses (→ named state plus the raw code).
 */

/** How a SAN entry is classified on the wire (`SANOptionType`): 1 uc, 2 subdomain, 3 public-ip, 4 private-ip, 7 fqdn, 13 wildcard. */
export type SanKind = 'uc' | 'subdomain' | 'public-ip' | 'private-ip' | 'fqdn' | 'wildcard';

export interface SanEntryInput {
  readonly kind: SanKind;
  readonly name: string;
}

export interface SanEntry {
  /** `unknown` when GlobalSign sends a type certbill does not name; `optionType` keeps it. */
  readonly kind: SanKind | 'unknown';
  readonly optionType: string;
  readonly name: string;
}

export type OrderKind = 'new' | 'renewal' | 'transfer';

/**
 * `OrderRequestParameter`. `licenses` defaults to 1. The `SAN=true` option is added by the client
 * whenever SAN entries are sent.
 *
 * @example
 *   { productCode: 'DV_LOW', orderKind: 'new', validity: { months: 12 }, csr: '-----BEGIN CERTIFICATE REQUEST-----…' }
 */
export interface OrderParameters {
  readonly productCode: string;
  /** `wildcard` or `gip`; omit for a single-name certificate. */
  readonly baseOption?: string;
  readonly orderKind: OrderKind;
  readonly licenses?: number;
  readonly options?: readonly { readonly name: string; readonly value: string }[];
  readonly validity: ValidityInput;
  readonly csr: string;
  readonly renewalTargetOrderId?: string;
  readonly targetCert?: string;
  readonly specialInstructions?: string;
  readonly coupon?: string;
  readonly campaign?: string;
}

export interface ValidityInput {
  readonly months: number;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface ContactInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string;
  readonly email: string;
}

export interface SecondContactInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

export interface DvOrderInput {
  readonly order: OrderParameters;
  readonly subId?: string;
  /** The OrderID handed out by GetDVApproverList. */
  readonly orderId: string;
  readonly approverEmail: string;
  readonly contact: ContactInput;
  readonly secondContact?: SecondContactInput;
  readonly sanEntries?: readonly SanEntryInput[];
}

/** URLVerification and DVDNSOrder take the same data (no OrderID, no approver). */
export interface DvValidationOrderInput {
  readonly order: OrderParameters;
  readonly subId?: string;
  readonly contact: ContactInput;
  readonly secondContact?: SecondContactInput;
  readonly sanEntries?: readonly SanEntryInput[];
}

export interface OvOrganizationInput {
  readonly name: string;
  readonly creditAgency?: string;
  readonly organizationCode?: string;
  readonly address: {
    readonly addressLine1?: string;
    readonly addressLine2?: string;
    readonly addressLine3?: string;
    readonly city: string;
    readonly region: string;
    readonly postalCode: string;
    readonly country: string;
    readonly phone: string;
    readonly fax?: string;
  };
}

export interface Extension {
  readonly name: string;
  readonly value: string;
}

export interface OvOrderInput {
  readonly order: OrderParameters;
  /** Required element in the schema; sent empty when not given. */
  readonly subId?: string;
  readonly organization: OvOrganizationInput;
  readonly contact: ContactInput;
  readonly secondContact?: SecondContactInput;
  readonly sanEntries?: readonly SanEntryInput[];
  readonly extensions?: readonly Extension[];
}

/** `BusinessCategoryCode`: PO private organization, GE government entity, BE business entity. */
export type BusinessCategory = 'PO' | 'GE' | 'BE';

export interface PersonInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly function: string;
  readonly organizationName: string;
  readonly organizationUnit: string;
  readonly phone: string;
  readonly email: string;
}

export interface EvOrderInput {
  readonly order: OrderParameters;
  readonly subId?: string;
  readonly organization: {
    readonly businessAssumedName?: string;
    readonly creditAgency?: string;
    readonly organizationCode?: string;
    readonly businessCategory: BusinessCategory;
    readonly address: {
      readonly addressLine1: string;
      readonly addressLine2?: string;
      readonly addressLine3?: string;
      readonly city: string;
      readonly region: string;
      readonly postalCode?: string;
      readonly country: string;
      readonly phone: string;
      readonly fax?: string;
    };
  };
  readonly requestor: PersonInput;
  readonly approver: PersonInput;
  readonly authorizedSigner: {
    readonly organizationName: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly function: string;
    readonly phone: string;
    readonly email: string;
  };
  readonly jurisdiction: {
    readonly country: string;
    readonly state?: string;
    readonly locality?: string;
    readonly incorporationAgencyRegistrationNumber: string;
  };
  readonly contact: ContactInput;
  readonly secondContact?: SecondContactInput;
  readonly sanEntries?: readonly SanEntryInput[];
}

/** `DecodeCSR/ProductType`: the product family. */
export type CsrProductType = 'DV_LOW' | 'DV' | 'OV' | 'EV';

export interface ValidateOrderParametersInput {
  readonly order: OrderParameters;
  readonly keyLength?: string;
  readonly pin?: string;
  readonly fqdn?: string;
  readonly dvCsrInfo?: { readonly country: string };
  readonly ovCsrInfo?: {
    readonly organizationName: string;
    readonly organizationUnit?: string;
    readonly locality: string;
    readonly stateOrProvince: string;
    readonly country: string;
  };
  readonly sanEntries?: readonly SanEntryInput[];
}

export type ModifyOrderOperation = 'APPROVE' | 'CANCEL' | 'REVOKE';

export interface ReissueInput {
  readonly targetOrderId: string;
  readonly csr: string;
  /** Sent comma-separated in `OrderParameter/DNSNames`. */
  readonly dnsNames?: readonly string[];
  /** Defaults to nothing (GlobalSign's default); `SHA256` is the usual value. */
  readonly hashAlgorithm?: string;
  readonly extensions?: readonly Extension[];
}

export interface ChangeSubjectAltNameInput {
  readonly targetOrderId: string;
  readonly orderId?: string;
  readonly approverEmail?: string;
  readonly sanEntries?: readonly SanEntryInput[];
  readonly pin?: string;
}

/** `OrderQueryOption`. Defaults ask for everything a billing system needs except PKCS#12 and the CSR. */
export interface OrderQueryOptions {
  readonly orderStatus?: boolean;
  readonly orderOption?: boolean;
  readonly certificateInfo?: boolean;
  readonly fulfillment?: boolean;
  readonly caCerts?: boolean;
  readonly originalCsr?: boolean;
  readonly pkcs12?: boolean;
  readonly sanEntries?: boolean;
}

export interface GetCertificateOrdersInput {
  readonly from?: Date;
  readonly to?: Date;
  readonly fqdn?: string;
  readonly productCode?: string;
  /** Raw GlobalSign status code, e.g. `'4'`. */
  readonly orderStatus?: string;
  readonly subId?: string;
}

/** One entry of `Errors/Error`: the code as sent (`-4004`), the dotted field if any, the English text. */
export interface GlobalSignIssue {
  readonly code: string;
  readonly field?: string;
  readonly message?: string;
}

/** Every result carries what the header said; `warnings` is non-empty when SuccessCode was 1. */
export interface ResultMeta {
  readonly successCode: 0 | 1;
  readonly warnings: readonly GlobalSignIssue[];
  readonly timestamp?: Date;
}

export interface AccountSnapshotResult extends ResultMeta {
  /** Decimal text as sent, e.g. `'1000.00'`. */
  readonly balance: string;
  readonly currency?: string;
  /** Where the balance was found, e.g. `AccountSnapshot/Balance`. */
  readonly balanceElement: string;
  readonly readAt: Date;
}

export interface CsrFields {
  readonly commonName?: string;
  readonly organization?: string;
  readonly organizationUnit?: string;
  readonly locality?: string;
  readonly state?: string;
  readonly country?: string;
  readonly keyLength?: string;
}

export interface DecodeCsrResult extends ResultMeta {
  readonly csrData: CsrFields & { readonly emailAddress?: string };
  readonly certificatePreview: CsrFields;
}

export interface ValidityPeriod {
  readonly months: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface ValidateOrderParametersResult extends ResultMeta {
  readonly price?: string;
  readonly currency?: string;
  readonly validityPeriod?: ValidityPeriod;
  readonly parsedCsr?: {
    readonly subject: string;
    readonly domainName: string;
    readonly country: string;
    readonly email: string;
    readonly locality: string;
    readonly organization: string;
    readonly organizationUnit: string;
    readonly state: string;
    readonly isValidDomainName: string;
  };
}

export interface Approver {
  /** e.g. `GENERIC`. */
  readonly type: string;
  readonly email: string;
}

export interface DvApproverListResult extends ResultMeta {
  readonly approvers: readonly Approver[];
  /** The OrderID to pass to DVOrder. */
  readonly orderId: string;
}

export interface OrderIdResult extends ResultMeta {
  readonly orderId: string;
}

export interface UrlVerificationResult extends OrderIdResult {
  /** The whole HTML tag, e.g. `<meta name="globalsign-domain-verification" content="…" />`. */
  readonly metaTag: string;
  readonly verificationUrls: readonly string[];
}

export interface DvDnsOrderResult extends OrderIdResult {
  /** The whole TXT value, e.g. `globalsign-domain-verification=…`. */
  readonly dnsTxt: string;
  readonly verificationFqdns: readonly string[];
}

export interface CertificateInfo {
  readonly status: OrderState;
  readonly statusCode: string;
  readonly startDate?: Date;
  readonly endDate?: Date;
  readonly commonName?: string;
  readonly serialNumber?: string;
  readonly subjectName?: string;
  readonly dnsNames?: string;
}

export interface CaCertificate {
  /** `ROOT` or `INTER`. */
  readonly type: string;
  /** PEM with LF line ends. */
  readonly pem: string;
}

export interface Fulfillment {
  readonly caCertificates: readonly CaCertificate[];
  readonly serverCertificate?: { readonly x509Pem: string; readonly pkcs7Pem: string };
  readonly originalCsr?: string;
  /** Base64 PKCS#12 (AutoCSR orders only). */
  readonly pkcs12?: string;
}

export interface IssueResult extends ResultMeta {
  readonly certificateInfo?: CertificateInfo;
  readonly fulfillment?: Fulfillment;
}

export interface ReissueResult extends OrderIdResult {
  readonly targetOrderId?: string;
}

export interface ChangeSubjectAltNameResult extends ResultMeta {
  readonly orderId?: string;
  readonly targetOrderId?: string;
}

export interface OrderInfo {
  readonly orderId: string;
  readonly originalOrderIdForRenewal?: string;
  readonly originalOrderIdForReissue?: string;
  /** As GlobalSign reports it; may differ from the ordered code (e.g. `DV_LOW_MONTH_OP`). */
  readonly productCode: string;
  readonly baseOption?: string;
  /** Lower-cased (`New` → `new`). */
  readonly orderKind: string;
  readonly licenses: string;
  readonly expressOption?: string;
  readonly validityPeriodCustomizeOption?: string;
  readonly insuranceOption?: string;
  readonly gsSupportOption?: string;
  readonly renewalExtensionOption?: string;
  readonly domainName: string;
  readonly orderDate?: Date;
  readonly orderCompleteDate?: Date;
  readonly orderCanceledDate?: Date;
  readonly orderDeactivatedDate?: Date;
  readonly status: OrderState;
  readonly statusCode: string;
  readonly price: string;
  readonly currency: string;
  readonly validityPeriod?: ValidityPeriod;
  readonly specialInstructions?: string;
}

export interface OrderSubInfo {
  readonly csrSkipOrder: boolean;
  readonly dnsOrder: boolean;
  readonly trustedOrder: boolean;
  readonly p12DeleteStatus?: boolean;
  readonly p12DeleteDate?: Date;
  readonly verificationUrl?: string;
  readonly subId?: string;
}

export interface OrderOption {
  readonly approverNotifiedDate?: Date;
  readonly approverConfirmDate?: Date;
  readonly approverEmailAddress?: string;
  readonly organizationName?: string;
  readonly contact?: ContactInput;
}

export interface ModificationEvent {
  readonly name: string;
  readonly timestamp?: Date;
}

export interface OrderDetail {
  readonly info: OrderInfo;
  readonly subInfo?: OrderSubInfo;
  readonly option?: OrderOption;
  readonly certificateInfo?: CertificateInfo;
  readonly sanEntries: readonly SanEntry[];
  readonly fulfillment?: Fulfillment;
  readonly modificationEvents: readonly ModificationEvent[];
}

export interface GetOrderResult extends ResultMeta {
  readonly orderId: string;
  readonly detail: OrderDetail;
}

export interface ModifiedOrdersResult extends ResultMeta {
  readonly from?: string;
  readonly to?: string;
  readonly orders: readonly OrderDetail[];
}

export interface SearchOrder {
  readonly orderId: string;
  readonly baseOption?: string;
  readonly productCode: string;
  readonly orderKind: string;
  readonly licenses: string;
  readonly orderRequestDate?: Date;
  readonly orderIssueDate?: Date;
  readonly orderCanceledDate?: Date;
  readonly status: OrderState;
  readonly statusCode: string;
  readonly organizationName?: string;
  readonly months: string;
  readonly subId?: string;
  readonly fqdn: string;
}

export interface CertificateOrdersResult extends ResultMeta {
  readonly orders: readonly SearchOrder[];
}
