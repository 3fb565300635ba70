import type { FastifyRequest } from 'fastify';
import { isAppError } from '../../core/errors/index.ts';

/** A submitted form's fields as strings (the last value of a repeated field). */
export type FormValues = Readonly<Record<string, string>>;

/**
 * The urlencoded body of a panel form, every value a string.
 * @example formValues(req) → { name: 'DomainSSL', price_1: '30.00' }
 */
export function formValues(req: FastifyRequest): FormValues {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    const last = Array.isArray(value) ? value.at(-1) : value;
    if (typeof last === 'string') out[key] = last;
  }
  return out;
}

/**
 * Where a use case's error belongs on a form: the field its details name (`details.field`), mapped
 * through `fields`, else `fallback` (shown above the buttons).
 * @example fieldOfError(err, { prices: 'prices', 'tariff name': 'name' }, 'form') → 'prices'
 */
export function fieldOfError(
  err: unknown,
  fields: Readonly<Record<string, string>>,
  fallback: string,
): string {
  if (!isAppError(err)) return fallback;
  const named = err.details['field'];
  if (typeof named === 'string' && fields[named]) return fields[named]!;
  return fields[err.code] ?? fallback;
}

/** A positive whole number from a path or query parameter, or null. */
export function positiveId(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
