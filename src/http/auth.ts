import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { findTokenScope, type ApiScope } from '../billing/api-token-repository.ts';
import { AppError } from '../core/errors/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who calls, from the API token; set by `authenticate` on the routes that need it. */
    principal?: ApiScope;
  }
}

/**
 * An `onRequest` hook: reads `Authorization: Bearer <token>`, looks up the token's SHA-256 hash and
 * puts its scope on the request, or answers 401.
 * @example scope.addHook('onRequest', authenticate(ctx));
 */
export function authenticate(ctx: Pick<AppContext, 'db' | 'clock'>) {
  return async (req: FastifyRequest): Promise<void> => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      throw new AppError(
        'BILLING_TOKEN_MISSING',
        'Send an API token as "Authorization: Bearer <token>"; create one with `certbill token create`.',
      );
    }
    const scope = await findTokenScope(ctx, m[1] as string);
    if (!scope) throw new AppError('BILLING_TOKEN_INVALID', 'The API token is unknown or revoked.');
    req.principal = scope;
  };
}

export function principalOf(req: FastifyRequest): ApiScope {
  if (!req.principal) throw new AppError('BILLING_TOKEN_MISSING', 'This route needs an API token.');
  return req.principal;
}

/** Refuses a client token on an admin route (403). */
export function requireAdmin(req: FastifyRequest): void {
  if (principalOf(req).kind !== 'admin') {
    throw new AppError(
      'BILLING_FORBIDDEN',
      `${req.method} ${req.routeOptions.url ?? req.url} needs an admin token.`,
    );
  }
}

/**
 * Lets an admin token through, and a client token only for its own client; another client's
 * things answer 404 as if they did not exist.
 */
export function requireClient(req: FastifyRequest, clientId: number, notFound: () => AppError): void {
  const principal = principalOf(req);
  if (principal.kind === 'client' && principal.clientId !== clientId) throw notFound();
}

/** The client a client token acts for, or null for an admin token. */
export function ownClientId(req: FastifyRequest): number | null {
  const principal = principalOf(req);
  return principal.kind === 'client' ? principal.clientId : null;
}
