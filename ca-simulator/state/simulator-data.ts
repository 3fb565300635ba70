import type { CaMaterial } from '../pki/certificate-authority.ts';

/** Everything the simulator remembers; serialised as is to the state file (JSON). */
export interface SimulatorData {
  version: 1;
  ca?: CaMaterial;
  accounts: Record<string, Account>;
  /** List prices per product family and Months, as decimal strings in the account's currency. */
  prices: Record<ProductFamily, Record<string, string>>;
  orders: Record<string, Order>;
  /** OrderIDs handed out by GetDVApproverList and not used yet. */
  reservedOrderIds: Record<string, { userName: string; fqdn: string; at: string }>;
  /** TXT records by lower-case name, as seen by the DNS check. */
  dns: Record<string, string[]>;
  /** Where the HTTP check connects for a host name: `address:port`, loopback only. */
  hosts: Record<string, string>;
  nextOrderNumber: number;
  /** Offset of the simulator clock from system time, so a moved clock survives a restart. */
  clockOffsetMs?: number;
}

export interface Account {
  userName: string;
  password: string;
  balanceMinor: number;
  currency: string;
  /** Source addresses or CIDR ranges allowed to call the API; empty = any. */
  allowIps: string[];
}

export const PRODUCT_FAMILIES = ['DV_LOW', 'DV', 'OV', 'EV'] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

/** GlobalSign's OrderStatus codes. */
export const ORDER_STATUS = {
  initial: 1,
  phishingReview: 2,
  cancelledNotIssued: 3,
  issued: 4,
  cancelledIssued: 5,
  revoking: 6,
  revoked: 7,
} as const;
export type OrderStatus = (typeof ORDER_STATUS)[keyof typeof ORDER_STATUS];

export type DcvMethod = 'email' | 'http' | 'dns' | 'vetting' | 'none';

export interface SanEntry {
  type: string;
  name: string;
}

export interface IssuedCertificate {
  pem: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  ipAddresses: string[];
  subjectName: string;
}

export interface Order {
  orderId: string;
  userName: string;
  productCode: string;
  family: ProductFamily;
  baseOption?: string;
  orderKind: string;
  licenses: string;
  months: number;
  requestedNotBefore?: string;
  requestedNotAfter?: string;
  fqdn: string;
  sanEntries: SanEntry[];
  csrPem: string;
  dcv: DcvMethod;
  approverEmail?: string;
  approverNotifiedAt?: string;
  approverConfirmedAt?: string;
  /** HTTP/DNS token (the content of the meta tag / TXT value after `=`). */
  token?: string;
  /** Hosts allowed for HTTP/DNS verification (VerificationURLList / VerificationFQDNList). */
  verificationHosts?: string[];
  subId?: string;
  status: OrderStatus;
  /** The status to return to when a phishing hold is released. */
  heldForPhishing?: boolean;
  orderDate: string;
  completeDate?: string;
  canceledDate?: string;
  deactivatedDate?: string;
  /** When a revocation request (status 6) turns into status 7. */
  revokeDueAt?: string;
  modifiedAt: string;
  events: Array<{ name: string; at: string }>;
  priceMinor: number;
  currency: string;
  specialInstructions?: string;
  contact?: Record<string, string>;
  secondContact?: Record<string, string>;
  organization?: { fields: Record<string, string>; address: Record<string, string> };
  requestor?: Record<string, string>;
  approver?: Record<string, string>;
  authorizedSigner?: Record<string, string>;
  jurisdiction?: Record<string, string>;
  renewalTargetOrderId?: string;
  renewedByOrderId?: string;
  reissueOfOrderId?: string;
  reissuedByOrderId?: string;
  /** Latest notAfter a reissue in this chain may reach: the paid term of the first order. */
  chainEnd?: string;
  /**
   * When domain control behind this order's chain was last checked (its first issue, or a reissue
   * that had to validate afresh); a reissue inherits it.
   */
  validatedAt?: string;
  /** The DCV method of the chain's first order (a reissue's own `dcv` is `none` unless held for it). */
  chainDcv?: DcvMethod;
  certificate?: IssuedCertificate;
}

export function emptyData(): SimulatorData {
  return {
    version: 1,
    accounts: {},
    prices: defaultPrices(),
    orders: {},
    reservedOrderIds: {},
    dns: {},
    hosts: {},
    nextOrderNumber: 1,
  };
}

/** List prices for 12 months; other terms are pro rata (see `priceFor`). */
export function defaultPrices(): Record<ProductFamily, Record<string, string>> {
  return {
    DV_LOW: { '12': '49.00', '24': '89.00' },
    DV: { '12': '199.00', '24': '379.00' },
    OV: { '12': '299.00', '24': '569.00' },
    EV: { '12': '499.00', '24': '949.00' },
  };
}
