import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors/index.ts';

/** The form field and the header a non-GET panel request carries its CSRF token in. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Before sign-in there is no session: the login form's token is double-submitted in this cookie. */
export const LOGIN_CSRF_COOKIE = 'certbill_login_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * A `preHandler` of every panel route: a POST (PUT, PATCH, DELETE) must carry the session's
 * synchronizer token as the `_csrf` form field or the `x-csrf-token` header, else 403. The login
 * form, sent before any session exists, carries the token of its `certbill_login_csrf` cookie.
 */
export async function checkCsrf(req: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(req.method)) return;
  const expected =
    req.routeOptions.url === '/login' ? req.cookies[LOGIN_CSRF_COOKIE] : req.panelSession?.csrfToken;
  const body = req.body as Record<string, unknown> | undefined;
  const fromBody = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  const sent = typeof fromBody === 'string' ? fromBody : req.headers[CSRF_HEADER];
  if (typeof sent === 'string' && expected && sameToken(sent, expected)) return;
  throw new AppError(
    'PANEL_FORBIDDEN',
    'This form has expired or did not come from this site, so nothing was done. Go back, reload the page and send it again.',
    { csrf: true },
  );
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
