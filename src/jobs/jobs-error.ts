import type { JOBS_ERRORS } from '../core/errors/codes/jobs.ts';
import { AppError } from '../core/errors/index.ts';

export type JobsErrorCode = keyof typeof JOBS_ERRORS;

/**
 * An AppError with a `JOBS_` code.
 * @example throw createJobsError('JOBS_NOT_FOUND', 'No job 42.', { id: 42 });
 */
export function createJobsError(
  code: JobsErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): AppError {
  return new AppError(code, message, details);
}

/** The text kept in `jobs.last_error` and shown in `ran[].error`, e.g. `GLOBALSIGN_TIMEOUT: …`. */
export function describeError(e: unknown): string {
  const text =
    e instanceof AppError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message || e.name : String(e);
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
