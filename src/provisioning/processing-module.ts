/**
 * The processing-module contract: what provisioning asks of a certificate authority, in certbill's
 * words. A module (GlobalSign today) implements it on its own client; no vendor type crosses it.
 * Every method takes one input and returns one output type. Failures of the CA or of the way to it
 * are thrown as `ProviderError` (see provider-error.ts); "not issued yet" is a value (`pending`),
 * never an error.
 *
 * Order of calls for a DV e-mail order, the one flow where the CA hands out the order id first:
 *
 * @example
 *   const { reservedOrderId, approvers } = await module.prepareOrder({ product: 'DV', commonName: 'example.com' });
 *   // store reservedOrderId with the service before going on: a retried placeOrder reuses it
 *   const placed = await module.placeOrder({ ...order, dcv: { method: 'email', reservedOrderId } });
 *   const outcome = await module.fetchOrder({ caOrderId: placed.caOrderId }); // { status: 'pending', … } until approved
 */

/** Certificate products, by validation level: AlphaSSL (`DV_LOW`), DomainSSL (`DV`), OV, EV. */
export const PRODUCT_FAMILIES = ['DV_LOW', 'DV', 'OV', 'EV'] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

/** How domain control is validated (DV): approver e-mail, file over HTTP, DNS TXT record. */
export const DCV_METHODS = ['email', 'http', 'dns'] as const;
export type DcvMethod = (typeof DCV_METHODS)[number];

/** How a name on an issued certificate was validated: a DCV method, or the CA's own vetting (OV/EV). */
export type ValidationMethod = DcvMethod | 'ca-vetting';

/**
 * What a module can be asked for. A module lists each one as supported or, with a reason, as not;
 * the contract suite and the admin panel read that list.
 */
export const MODULE_FEATURES = [
  'dv-email',
  'dv-http',
  'dv-dns',
  'ov',
  'ev',
  'wildcard',
  'sans',
  'ip-sans',
  'renewal',
  'reissue',
  'cancel',
  'revoke',
  'balance',
  'approver-list',
  'resend-email',
  'change-approver',
  'switch-dcv-method',
  'wildcard-http-validation',
  'ev-wildcard',
  'ca-generated-key',
] as const;
export type ModuleFeature = (typeof MODULE_FEATURES)[number];

export interface UnsupportedFeature {
  readonly feature: ModuleFeature;
  /** Why, and what to do instead. */
  readonly reason: string;
}

export interface ModuleCapabilities {
  readonly supported: readonly ModuleFeature[];
  readonly unsupported: readonly UnsupportedFeature[];
}

export interface Contact {
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string;
  readonly email: string;
}

/** Organization data for OV and EV orders. `country` is ISO 3166 alpha-2. */
export interface Organization {
  readonly name: string;
  readonly unit?: string;
  /** Registry of `registrationCode`, when the organization has one there. */
  readonly creditAgency?: 'duns' | 'tdb';
  readonly registrationCode?: string;
  readonly address: {
    readonly line1?: string;
    readonly line2?: string;
    readonly line3?: string;
    readonly city: string;
    readonly region: string;
    readonly postalCode: string;
    readonly country: string;
    readonly phone: string;
    readonly fax?: string;
  };
}

/** A person named on an EV order (requestor, approver). */
export interface EvPerson {
  readonly firstName: string;
  readonly lastName: string;
  readonly title: string;
  readonly organizationName: string;
  readonly organizationUnit: string;
  readonly phone: string;
  readonly email: string;
}

/** The EV-only parts of an order. */
export interface ExtendedValidation {
  readonly businessCategory: 'private-organization' | 'government-entity' | 'business-entity';
  readonly assumedName?: string;
  readonly requestor: EvPerson;
  readonly approver: EvPerson;
  readonly signer: {
    readonly organizationName: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly title: string;
    readonly phone: string;
    readonly email: string;
  };
  readonly jurisdiction: {
    readonly country: string;
    readonly state?: string;
    readonly locality?: string;
    readonly registrationNumber: string;
  };
}

/**
 * How the domains of a DV order are validated. `reservedOrderId` is the id `prepareOrder` handed
 * out (e-mail only); `approverEmail` defaults to the first address of the CA's list.
 */
export type DcvChoice =
  | { readonly method: 'email'; readonly approverEmail?: string; readonly reservedOrderId?: string }
  | { readonly method: 'http' }
  | { readonly method: 'dns' };

/**
 * One certificate order. `commonName` and `sans` are normalised names (lower case, A-labels); a
 * wildcard CN (`*.example.com`) orders the product's wildcard variant. `dcv` is ignored for OV/EV,
 * whose domains the CA vets itself.
 *
 * @example
 *   { product: 'DV', commonName: 'example.com', sans: ['www.example.com'], csr, months: 12,
 *     dcv: { method: 'dns' }, contact: { firstName: 'Ada', lastName: 'Lovelace', phone: '+44 20 0000', email: 'ada@example.com' } }
 */
export interface PlaceOrderInput {
  readonly product: ProductFamily;
  readonly commonName: string;
  readonly sans?: readonly string[];
  readonly csr: string;
  readonly months: number;
  /** A shorter certificate than `months` (the paid period's end, the validity cap). */
  readonly notAfter?: Date;
  readonly dcv?: DcvChoice;
  /** Renew this CA order (a new order of kind renewal), instead of a new certificate. */
  readonly renewalOf?: string;
  readonly contact: Contact;
  readonly organization?: Organization;
  readonly extendedValidation?: ExtendedValidation;
}

/** What the domain owner must do for a pending order. */
export type ValidationInstructions =
  | {
      readonly method: 'email';
      /** Where the approval mail went; absent when the CA did not say. */
      readonly approverEmail?: string;
    }
  | {
      readonly method: 'http';
      /** Serve `content` at `http://<host><path>` on one of `hosts`. */
      readonly path: string;
      readonly content: string;
      readonly hosts: readonly string[];
    }
  | {
      readonly method: 'dns';
      /** Publish a TXT record with `value` at one of `names`. */
      readonly recordType: 'TXT';
      readonly value: string;
      readonly names: readonly string[];
    }
  | { readonly method: 'ca-vetting' };

/** Why an order is not issued yet. */
export type PendingReason = 'domain-validation' | 'organization-vetting' | 'phishing-review' | 'processing';

export interface PendingOutcome {
  readonly status: 'pending';
  readonly caOrderId: string;
  readonly reason: PendingReason;
  /** Present when known: `placeOrder` always gives them; `fetchOrder` only what the CA tells again. */
  readonly validation?: ValidationInstructions;
  /** The last validation attempt failed (e.g. the file or TXT record was not found). */
  readonly lastCheckFailed?: { readonly message: string; readonly caCode?: string };
  /** The CA's status as it sent it, for logs. */
  readonly caStatus: string;
}

/** How and when one name on an issued certificate was validated, for DCV reuse planning. */
export interface NameValidation {
  readonly name: string;
  readonly method: ValidationMethod;
  /** ISO 8601 instant. */
  readonly validatedAt: string;
}

export interface IssuedCertificate {
  /** The leaf, PEM (LF line ends). */
  readonly certificatePem: string;
  /** Intermediates, leaf-side first, PEM. */
  readonly chainPems: readonly string[];
  /** The root, kept apart: servers do not send it. */
  readonly rootPem?: string;
  /** ISO 8601 instants from the certificate itself. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Lower-case hex. */
  readonly serialNumber: string;
  readonly commonName: string;
  /** Every DNS name and IP address in the certificate's SAN extension. */
  readonly names: readonly string[];
}

export interface IssuedOutcome {
  readonly status: 'issued';
  readonly caOrderId: string;
  readonly certificate: IssuedCertificate;
  readonly validations: readonly NameValidation[];
  readonly caStatus: string;
}

/** Why an order will not (or no longer) give a usable certificate. */
export type RejectionReason = 'validation-rejected' | 'cancelled' | 'revoked';

export interface RejectedOutcome {
  readonly status: 'rejected';
  readonly caOrderId: string;
  readonly reason: RejectionReason;
  readonly message: string;
  readonly caStatus: string;
}

export type OrderOutcome = PendingOutcome | IssuedOutcome | RejectedOutcome;

export interface PlacedOrder {
  readonly caOrderId: string;
  /** The CA already had this order (a retried placeOrder with a reserved id); nothing new was bought. */
  readonly alreadyPlaced: boolean;
  readonly outcome: OrderOutcome;
  /** CA warnings that did not stop the order (e.g. held for phishing review). */
  readonly warnings: readonly string[];
}

export interface PrepareOrderInput {
  readonly product: ProductFamily;
  readonly commonName: string;
  readonly sans?: readonly string[];
}

export interface Approver {
  readonly email: string;
  /** The CA's kind of address, e.g. `GENERIC`. */
  readonly type: string;
}

export interface PreparedOrder {
  /** Store it before `placeOrder`: a retried order with it cannot be bought twice. */
  readonly reservedOrderId: string;
  readonly approvers: readonly Approver[];
}

export interface ApproverListInput {
  readonly commonName: string;
  readonly sans?: readonly string[];
}

export interface ApproverList {
  readonly approvers: readonly Approver[];
}

export interface FetchOrderInput {
  readonly caOrderId: string;
}

/** Something the domain owner (or the admin) does about a pending validation. */
export type ValidationAction =
  | { readonly kind: 'resend-email' }
  | { readonly kind: 'change-approver'; readonly approverEmail: string }
  /** Ask the CA to fetch the HTTP file now; `host` defaults to the common name. */
  | { readonly kind: 'verify-http'; readonly host?: string }
  /** Ask the CA to look the TXT record up now; `name` defaults to the common name. */
  | { readonly kind: 'verify-dns'; readonly name?: string }
  /**
   * Only for a module that lists `switch-dcv-method` as supported; the others throw
   * PROVISIONING_FEATURE_UNSUPPORTED and the lifecycle cancels the order and orders again instead.
   */
  | { readonly kind: 'switch-method'; readonly method: DcvMethod };

export interface ValidationActionInput {
  readonly caOrderId: string;
  readonly commonName: string;
  readonly action: ValidationAction;
}

export interface ReissueInput {
  readonly caOrderId: string;
  readonly csr: string;
  /** The SANs of the new certificate (the CN excluded); absent keeps the current ones. */
  readonly sans?: readonly string[];
  /**
   * The latest notAfter wanted (ISO 8601): never past the end of the paid period. A CA that takes
   * a validity on reissue is sent it; one that does not bounds the certificate itself (GlobalSign:
   * the original order's term), and the caller still plans from the notAfter actually issued.
   */
  readonly notAfter?: string;
}

export interface ReissuedOrder {
  /** The new CA order to fetch; the target keeps its own id. */
  readonly caOrderId: string;
  readonly targetCaOrderId: string;
}

export interface CancelInput {
  readonly caOrderId: string;
}

export interface CancelledOrder {
  readonly caOrderId: string;
  /** The CA had already cancelled it. */
  readonly alreadyDone: boolean;
}

export interface RevokeInput {
  readonly caOrderId: string;
}

export interface RevokedOrder {
  readonly caOrderId: string;
  readonly alreadyDone: boolean;
}

export interface BalanceInput {
  /** Unused today; keeps one input type per method. */
  readonly reason?: string;
}

export interface ModuleBalance {
  readonly amountMinor: number;
  readonly currency: string;
  /** ISO 8601 instant the CA was asked. */
  readonly readAt: string;
}

export interface ConnectionCheckInput {
  readonly reason?: string;
}

export interface ConnectionCheck {
  /** The account balance, when the CA's answer to the check carried one. */
  readonly balance?: ModuleBalance;
}

/**
 * One configured connection to a CA. Created by a factory the registry holds; every method may
 * throw `ProviderError` (CA refused, unreachable, timed out) and `AppError`s of its own input
 * checks (`PROVISIONING_INVALID_ORDER`, `PROVISIONING_FEATURE_UNSUPPORTED`).
 */
export interface ProcessingModule {
  /** The registry kind, e.g. `globalsign`. */
  readonly kind: string;
  readonly capabilities: ModuleCapabilities;
  /** Calls the CA with the module's settings (login, IP allow-list, reachability). */
  checkConnection(input: ConnectionCheckInput): Promise<ConnectionCheck>;
  balance(input: BalanceInput): Promise<ModuleBalance>;
  approverList(input: ApproverListInput): Promise<ApproverList>;
  /** Reserves the CA order id of a DV e-mail order, with the approver list. */
  prepareOrder(input: PrepareOrderInput): Promise<PreparedOrder>;
  placeOrder(input: PlaceOrderInput): Promise<PlacedOrder>;
  fetchOrder(input: FetchOrderInput): Promise<OrderOutcome>;
  /** Acts on a pending validation and returns the order's outcome afterwards. */
  runValidationAction(input: ValidationActionInput): Promise<OrderOutcome>;
  reissue(input: ReissueInput): Promise<ReissuedOrder>;
  cancel(input: CancelInput): Promise<CancelledOrder>;
  revoke(input: RevokeInput): Promise<RevokedOrder>;
  /** Releases connections. */
  close(): void;
}
