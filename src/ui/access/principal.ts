import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import type { StaffRole } from '../../billing/staff-repository.ts';
import { AppError } from '../../core/errors/index.ts';
import { findSessionWithUser, type PanelSession, type SessionUserRow } from './session-store.ts';

/** A signed-in staff user. */
export interface StaffPrincipal {
  readonly kind: 'staff';
  readonly staffId: number;
  readonly role: StaffRole;
  readonly departmentId: number | null;
  readonly name: string;
  readonly email: string;
}

/** A signed-in user of a client; every page loads the client's things by `clientId`. */
export interface ClientPrincipal {
  readonly kind: 'client';
  readonly clientUserId: number;
  readonly clientId: number;
  readonly name: string;
  readonly email: string;
}

export type PanelPrincipal = StaffPrincipal | ClientPrincipal;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is signed in to the panel; null when nobody is (set on every panel request). */
    panelPrincipal: PanelPrincipal | null;
    /** The panel session of the request's `certbill_session` cookie, or null. */
    panelSession: PanelSession | null;
  }
}

export const SESSION_COOKIE = 'certbill_session';

/**
 * An `onRequest` hook of the panel: reads the session cookie and puts the session and its user on
 * the request (both null when the cookie is missing, unknown or expired).
 */
export function loadPanelPrincipal(ctx: Pick<AppContext, 'db' | 'clock'>) {
  return async (req: FastifyRequest): Promise<void> => {
    req.panelSession = null;
    req.panelPrincipal = null;
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    // The session and its user in one query: this runs before every panel page.
    const found = await findSessionWithUser(ctx, token);
    if (!found) return;
    const principal = principalOf(found.session, found.user);
    if (!principal) return;
    req.panelSession = found.session;
    req.panelPrincipal = principal;
  };
}

/** The principal of a session's user; null when the user is gone or can no longer sign in. */
function principalOf(session: PanelSession, user: SessionUserRow): PanelPrincipal | null {
  if (user.id === null || !user.passwordHash || user.name === null || user.email === null) return null;
  if (session.userKind === 'staff') {
    return {
      kind: 'staff',
      staffId: user.id,
      role: user.role as StaffRole,
      departmentId: user.departmentId,
      name: user.name,
      email: user.email,
    };
  }
  if (user.clientId === null) return null;
  return {
    kind: 'client',
    clientUserId: user.id,
    clientId: user.clientId,
    name: user.name,
    email: user.email,
  };
}

/**
 * A hook for staff pages (`/admin/*`): nobody signed in → 302 to `/login?next=<path>`; a client
 * user → 403 page.
 * @example scope.addHook('onRequest', requireStaff);
 */
export async function requireStaff(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!req.panelPrincipal) return redirectToLogin(req, reply);
  if (req.panelPrincipal.kind !== 'staff') throw forbidden(req, 'staff');
}

/**
 * A hook for client pages (`/client/*`): nobody signed in → 302 to `/login?next=<path>`; a staff
 * user → 403 page.
 */
export async function requireClientUser(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!req.panelPrincipal) return redirectToLogin(req, reply);
  if (req.panelPrincipal.kind !== 'client') throw forbidden(req, 'client');
}

/** The signed-in client user of a page behind `requireClientUser`. */
export function clientOf(req: FastifyRequest): ClientPrincipal {
  const p = req.panelPrincipal;
  if (p?.kind !== 'client') throw forbidden(req, 'client');
  return p;
}

function redirectToLogin(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const next = req.method === 'GET' ? req.url : (req.headers.referer ?? '/');
  return reply.redirect(`/login?next=${encodeURIComponent(safeNext(next))}`, 302);
}

function forbidden(req: FastifyRequest, needs: 'staff' | 'client'): AppError {
  return new AppError(
    'PANEL_FORBIDDEN',
    needs === 'staff'
      ? 'This page is for staff. You are signed in as a client user.'
      : 'This page is for clients. You are signed in as staff.',
    { path: req.url.split('?')[0] },
  );
}

/** A same-site path to go back to after sign-in; anything else (another host, `//x`) becomes `/`. */
export function safeNext(next: string | undefined): string {
  if (!next) return '/';
  let path = next;
  try {
    if (/^https?:/i.test(next)) path = new URL(next).pathname;
  } catch {
    return '/';
  }
  return path.startsWith('/') &&
    !path.startsWith('//') &&
    !path.startsWith('/\\') &&
    !path.startsWith('/login')
    ? path
    : '/';
}
