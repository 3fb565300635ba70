/** The three GCC v1 services; the service URL is the base URL followed by the service name. */
export type GlobalSignService = 'ServerSSLService' | 'GASService' | 'AccountService';

/** Which authentication header an operation's schema requires. */
export type HeaderKind = 'OrderRequestHeader' | 'QueryRequestHeader';

/**
 * `query`: reads only, safe to repeat, retried with backoff on retryable failures.
 * `order`: places or changes an order; never repeated blindly (the caller reconciles).
 */
export type CallKind = 'query' | 'order';

export const OPERATION_NAMES = [
  'AccountSnapshot',
  'DecodeCSR',
  'ValidateOrderParameters',
  'GetDVApproverList',
  'DVOrder',
  'URLVerification',
  'URLVerificationForIssue',
  'DVDNSOrder',
  'DVDNSVerificationForIssue',
  'OVOrder',
  'EVOrder',
  'ResendEmail',
  'ChangeApproverEmail',
  'ModifyOrder',
  'ReIssue',
  'ChangeSubjectAltName',
  'GetOrderByOrderID',
  'GetModifiedOrders',
  'GetCertificateOrders',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export interface OperationSpec {
  readonly name: OperationName;
  readonly service: GlobalSignService;
  readonly header: HeaderKind;
  readonly kind: CallKind;
}

const SSL = 'ServerSSLService';
const GAS = 'GASService';
const ORDER = 'OrderRequestHeader';
const QUERY = 'QueryRequestHeader';

/**
 * Service, header and call kind of every operation the client speaks, per the WSDLs (spec §1, Appendix A).
 *
 * @example
 *   OPERATIONS.ReIssue; // { name: 'ReIssue', service: 'GASService', header: 'OrderRequestHeader', kind: 'order' }
 */
export const OPERATIONS: { readonly [N in OperationName]: OperationSpec & { readonly name: N } } = {
  AccountSnapshot: { name: 'AccountSnapshot', service: 'AccountService', header: QUERY, kind: 'query' },
  DecodeCSR: { name: 'DecodeCSR', service: GAS, header: QUERY, kind: 'query' },
  ValidateOrderParameters: { name: 'ValidateOrderParameters', service: GAS, header: ORDER, kind: 'query' },
  GetDVApproverList: { name: 'GetDVApproverList', service: SSL, header: QUERY, kind: 'query' },
  DVOrder: { name: 'DVOrder', service: SSL, header: ORDER, kind: 'order' },
  URLVerification: { name: 'URLVerification', service: SSL, header: ORDER, kind: 'order' },
  URLVerificationForIssue: { name: 'URLVerificationForIssue', service: SSL, header: ORDER, kind: 'order' },
  DVDNSOrder: { name: 'DVDNSOrder', service: SSL, header: ORDER, kind: 'order' },
  DVDNSVerificationForIssue: {
    name: 'DVDNSVerificationForIssue',
    service: SSL,
    header: ORDER,
    kind: 'order',
  },
  OVOrder: { name: 'OVOrder', service: SSL, header: ORDER, kind: 'order' },
  EVOrder: { name: 'EVOrder', service: SSL, header: ORDER, kind: 'order' },
  ResendEmail: { name: 'ResendEmail', service: SSL, header: ORDER, kind: 'order' },
  ChangeApproverEmail: { name: 'ChangeApproverEmail', service: SSL, header: ORDER, kind: 'order' },
  ModifyOrder: { name: 'ModifyOrder', service: SSL, header: ORDER, kind: 'order' },
  ReIssue: { name: 'ReIssue', service: GAS, header: ORDER, kind: 'order' },
  ChangeSubjectAltName: { name: 'ChangeSubjectAltName', service: SSL, header: ORDER, kind: 'order' },
  GetOrderByOrderID: { name: 'GetOrderByOrderID', service: GAS, header: QUERY, kind: 'query' },
  GetModifiedOrders: { name: 'GetModifiedOrders', service: GAS, header: QUERY, kind: 'query' },
  GetCertificateOrders: { name: 'GetCertificateOrders', service: GAS, header: QUERY, kind: 'query' },
};
