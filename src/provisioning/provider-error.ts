import { AppError, type ErrorCode } from '../core/errors/index.ts';

/**
 * Whose problem a CA failure is: the order data, the module's credentials or source IP, the CA
 * account's balance, the state of the CA order, the CA itself, or the way to it.
 */
export const PROVIDER_PARTIES = [
  'client-data',
  'credentials',
  'source-ip',
  'ca-balance',
  'order-state',
  'ca-system',
  'transport',
] as const;
export type ProviderParty = (typeof PROVIDER_PARTIES)[number];

/** Why a call got no usable answer: what an admin reads after "Cannot connect to the processing module". */
export const TRANSPORT_CAUSES = [
  'timeout',
  'dns',
  'tls',
  'connection-refused',
  'connection-reset',
  'source-address',
  'network',
  'http-status',
  'bad-response',
  'soap-fault',
] as const;
export type TransportCause = (typeof TRANSPORT_CAUSES)[number];

export interface ProviderErrorInfo {
  /** The module kind that called, e.g. `globalsign`. */
  readonly module: string;
  /** The CA operation, as the CA names it (e.g. `DVOrder`). */
  readonly operation: string;
  readonly party: ProviderParty;
  readonly retryable: boolean;
  /** The request may have reached the CA and been acted on: look the order up before calling again. */
  readonly outcomeUnknown: boolean;
  /** The CA's own error codes, as sent (e.g. `-4001`). */
  readonly caCodes: readonly string[];
  readonly cause?: TransportCause;
  /** The CA says it does not know the order. */
  readonly notFound?: boolean;
  readonly httpStatus?: number;
  readonly caOrderId?: string;
}

function codeOf(info: ProviderErrorInfo): ErrorCode {
  switch (info.party) {
    case 'client-data':
      return 'PROVISIONING_CA_REJECTED_DATA';
    case 'credentials':
      return 'PROVISIONING_CA_LOGIN_FAILED';
    case 'source-ip':
      return 'PROVISIONING_CA_IP_NOT_ALLOWED';
    case 'ca-balance':
      return 'PROVISIONING_CA_BALANCE_TOO_LOW';
    case 'order-state':
      return info.notFound ? 'PROVISIONING_CA_ORDER_NOT_FOUND' : 'PROVISIONING_CA_ORDER_STATE';
    case 'ca-system':
      return info.retryable ? 'PROVISIONING_CA_FAILURE' : 'PROVISIONING_CA_REJECTED';
    case 'transport':
      switch (info.cause) {
        case 'timeout':
          return 'PROVISIONING_CA_TIMEOUT';
        case 'http-status':
          return 'PROVISIONING_CA_FAILURE';
        case 'soap-fault':
          return info.retryable ? 'PROVISIONING_CA_FAILURE' : 'PROVISIONING_CA_REJECTED';
        case 'bad-response':
          return 'PROVISIONING_CA_BAD_ANSWER';
        default:
          return 'PROVISIONING_CA_UNREACHABLE';
      }
  }
}

/**
 * A failed call to a CA, in the contract's words: `party` says whose problem it is, `retryable`
 * whether trying again can help, `outcomeUnknown` whether to look the order up first, `caCodes`
 * keeps the CA's raw codes. The code follows from the party (and the transport cause).
 *
 * @example
 *   new ProviderError('GlobalSign refused the login (-4001).', {
 *     module: 'globalsign', operation: 'AccountSnapshot', party: 'credentials', retryable: false,
 *     outcomeUnknown: false, caCodes: ['-4001'],
 *   }).code; // 'PROVISIONING_CA_LOGIN_FAILED'
 */
export class ProviderError extends AppError {
  override readonly retryable: boolean;
  readonly party: ProviderParty;
  readonly outcomeUnknown: boolean;
  readonly caCodes: readonly string[];
  readonly transportCause: TransportCause | undefined;
  readonly info: ProviderErrorInfo;

  constructor(message: string, info: ProviderErrorInfo, options: { cause?: unknown } = {}) {
    super(codeOf(info), message, detailsOf(info), options);
    this.name = 'ProviderError';
    this.retryable = info.retryable;
    this.party = info.party;
    this.outcomeUnknown = info.outcomeUnknown;
    this.caCodes = info.caCodes;
    this.transportCause = info.cause;
    this.info = info;
  }

  /** Whether the CA sent this code among its errors. */
  hasCaCode(code: string): boolean {
    return this.caCodes.includes(code);
  }
}

function detailsOf(info: ProviderErrorInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) if (v !== undefined) out[k] = v;
  return out;
}

export function isProviderError(e: unknown): e is ProviderError {
  return e instanceof ProviderError;
}
