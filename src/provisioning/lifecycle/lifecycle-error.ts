import type { LIFECYCLE_ERRORS } from '../../core/errors/codes/lifecycle.ts';
import { AppError } from '../../core/errors/index.ts';

export type LifecycleErrorCode = keyof typeof LIFECYCLE_ERRORS;

/**
 * An AppError with a `LIFECYCLE_` code.
 * @example throw createLifecycleError('LIFECYCLE_NO_CERTIFICATE', 'Service 7 has no certificate yet.', { serviceId: 7 });
 */
export function createLifecycleError(
  code: LifecycleErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): AppError {
  return new AppError(code, message, details);
}
