import { AppError } from '../../core/errors/index.ts';
import type { GLOBALSIGN_ERRORS } from '../../core/errors/codes/globalsign.ts';
import type { GlobalSignParty } from './error-table.ts';
import type { OperationName } from './operation-table.ts';
import type { GlobalSignIssue } from './types.ts';

export type GlobalSignErrorCode = keyof typeof GLOBALSIGN_ERRORS;

/**
 * Why a call did not get a usable answer, in words an admin screen can show after
 * "Cannot connect to the processing module": `timeout`, `dns`, `tls`, `connection-refused`, …
 */
export type TransportCause =
  | 'timeout'
  | 'dns'
  | 'tls'
  | 'connection-refused'
  | 'connection-reset'
  | 'source-address'
  | 'network'
  | 'http-status'
  | 'bad-response'
  | 'soap-fault';

export interface GlobalSignErrorInfo {
  readonly operation: OperationName;
  readonly party: GlobalSignParty;
  readonly retryable: boolean;
  /** The request may have reached GlobalSign and been acted on; look the order up before calling again. */
  readonly outcomeUnknown: boolean;
  readonly orderId?: string;
  readonly successCode?: number;
  readonly issues?: readonly GlobalSignIssue[];
  readonly causeKind?: TransportCause;
  /** For timeouts: while connecting (nothing sent) or while waiting for the answer. */
  readonly phase?: 'connect' | 'read';
  readonly httpStatus?: number;
  readonly fault?: { readonly code: string; readonly message: string };
  /** Calls made, retries included. */
  readonly attempts?: number;
}

/**
 * A failed GlobalSign call. `party` says whose problem it is, `issues` keeps GlobalSign's raw codes,
 * fields and texts, `retryable` and `outcomeUnknown` tell the caller whether to try again and whether
 * to reconcile first.
 *
 * @example
 *   try { await client.dvOrder(input); } catch (e) {
 *     if (e instanceof GlobalSignError && e.outcomeUnknown) await reconcile(input.orderId);
 *   }
 */
export class GlobalSignError extends AppError {
  override readonly retryable: boolean;
  readonly party: GlobalSignParty;
  readonly outcomeUnknown: boolean;
  readonly operation: OperationName;
  readonly issues: readonly GlobalSignIssue[];
  readonly causeKind: TransportCause | undefined;
  readonly info: GlobalSignErrorInfo;

  constructor(
    code: GlobalSignErrorCode,
    message: string,
    info: GlobalSignErrorInfo,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, detailsOf(info), options);
    this.name = 'GlobalSignError';
    this.retryable = info.retryable;
    this.party = info.party;
    this.outcomeUnknown = info.outcomeUnknown;
    this.operation = info.operation;
    this.issues = info.issues ?? [];
    this.causeKind = info.causeKind;
    this.info = info;
  }

  /** The same error with fields added (attempt count, order id) once the client knows them. */
  with(extra: Partial<GlobalSignErrorInfo>): GlobalSignError {
    return new GlobalSignError(
      this.code as GlobalSignErrorCode,
      this.message,
      { ...this.info, ...extra },
      {
        cause: this.cause,
      },
    );
  }
}

function detailsOf(info: GlobalSignErrorInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info)) if (v !== undefined) out[k] = v;
  return out;
}

export function isGlobalSignError(e: unknown): e is GlobalSignError {
  return e instanceof GlobalSignError;
}
