import { ProviderError } from '../../provisioning/provider-error.ts';
import { errorEntryOf } from './error-table.ts';
import { GlobalSignError } from './globalsign-error.ts';

/**
 * A GlobalSign client failure in the contract's words; anything else passes unchanged. The raw
 * GlobalSign codes stay in `caCodes`, GlobalSign's sentence stays the message.
 *
 * @example toProviderError(loginFailure).code; // 'PROVISIONING_CA_LOGIN_FAILED'
 */
export function toProviderError(e: unknown, caOrderId?: string): unknown {
  if (!(e instanceof GlobalSignError)) return e;
  const codes = e.issues.map((i) => i.code);
  const orderId = e.info.orderId ?? caOrderId;
  return new ProviderError(
    e.message,
    {
      module: 'globalsign',
      operation: e.operation,
      party: e.party,
      retryable: e.retryable,
      outcomeUnknown: e.outcomeUnknown,
      caCodes: codes,
      ...(e.causeKind ? { cause: e.causeKind } : {}),
      ...(codes.some((c) => errorEntryOf(c).notFound) ? { notFound: true } : {}),
      ...(e.info.httpStatus !== undefined ? { httpStatus: e.info.httpStatus } : {}),
      ...(orderId ? { caOrderId: orderId } : {}),
    },
    { cause: e },
  );
}

/** Runs one client call and rethrows its failure as a ProviderError. */
export async function asProvider<T>(call: () => Promise<T>, caOrderId?: string): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw toProviderError(e, caOrderId);
  }
}
