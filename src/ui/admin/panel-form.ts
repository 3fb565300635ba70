import type { FastifyRequest } from 'fastify';
import { AppError, httpStatusOf, isAppError } from '../../core/errors/index.ts';

/** A form body as `@fastify/formbody` parses it. */
export type FormBody = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The form body of a panel POST (empty when none was sent). */
export function formOf(req: FastifyRequest): FormBody {
  return (req.body ?? {}) as FormBody;
}

/** One text field of a form: the last value when the field came twice, '' when absent. */
export function textField(body: FormBody, name: string): string {
  const v = body[name];
  if (v === undefined) return '';
  return typeof v === 'string' ? v : (v[v.length - 1] ?? '');
}

/** A checkbox: checked when the field was sent with any value but '' or 'off'. */
export function checkboxField(body: FormBody, name: string): boolean {
  const v = textField(body, name);
  return v !== '' && v !== 'off' && v !== '0';
}

/** A positive whole number from a route parameter or query, else a 404 AppError naming `what`. */
export function idParam(value: string | undefined, what: string): number {
  const n = Number(value);
  if (!/^\d{1,15}$/.test(value ?? '') || !Number.isSafeInteger(n) || n < 1) {
    throw new AppError('CORE_NOT_FOUND', `${what} does not exist.`);
  }
  return n;
}

/** What a form shows when a use case refused it: the message, the field it names and its status. */
export interface FormError {
  readonly message: string;
  readonly field: string | null;
  readonly code: string;
  readonly status: number;
}

/** The AppError of a refused form as a FormError; anything else is thrown again (a 500 page). */
export function formErrorOf(e: unknown): FormError {
  if (!isAppError(e)) throw e;
  const field = typeof e.details['field'] === 'string' ? e.details['field'] : null;
  return { message: e.message, field, code: e.code, status: httpStatusOf(e.kind) };
}
