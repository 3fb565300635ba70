import type { SUBSCRIPTION_ERRORS } from '../core/errors/codes/subscriptions.ts';
import { AppError } from '../core/errors/index.ts';

export type SubscriptionErrorCode = keyof typeof SUBSCRIPTION_ERRORS;

/**
 * An AppError with a `SUBSCRIPTION_` code.
 * @example throw createSubscriptionError('SUBSCRIPTION_NO_CA_ORDER', 'Service 7 has no issued certificate to reissue.', { serviceId: 7 });
 */
export function createSubscriptionError(
  code: SubscriptionErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): AppError {
  return new AppError(code, message, details);
}
