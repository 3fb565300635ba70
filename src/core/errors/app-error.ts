import { ERROR_CATALOGUE, type ErrorCode, type ErrorEntry } from './catalogue.ts';

/** Closed set of error kinds; each maps to one HTTP status in `httpStatusOf`. */
export const ERROR_KINDS = [
  'validation',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'insufficient_funds',
  'upstream',
  'unavailable',
  'config',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

const HTTP_STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthorized: 401,
  insufficient_funds: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
  upstream: 502,
  unavailable: 503,
  config: 500,
};

export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind];
}

/**
 * The one error type the application throws on purpose. `code` is stable (scripts and the API rely on
 * it), `kind` decides the HTTP status and the CLI exit code, `message` tells a person what to do.
 *
 * @example
 *   throw new AppError('DOMAIN_TOO_MANY_NAMES', 'An order holds at most 100 names; got 101.', { count: 101 });
 */
export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    const entry: ErrorEntry = ERROR_CATALOGUE[code];
    this.kind = entry.kind;
    this.retryable = entry.retryable ?? false;
  }

  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return Object.keys(this.details).length
      ? { code: this.code, message: this.message, details: { ...this.details } }
      : { code: this.code, message: this.message };
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
