import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import type { App } from '../http/build-app.ts';
import { LOGIN_CSRF_COOKIE, newCsrfToken } from './access/csrf.ts';
import { safeNext, SESSION_COOKIE } from './access/principal.ts';
import {
  createSession,
  endSession,
  purgeExpiredSessions,
  SESSION_ABSOLUTE_MS,
} from './access/session-store.ts';
import { signIn } from './access/sign-in.ts';
import { render } from './render.ts';

const WRONG = 'Wrong e-mail or password.';

/** `/login` (form and sign-in), `POST /logout`, and `/`, which sends each user to their home. */
export function loginPages(panel: App, ctx: AppContext): void {
  panel.get('/', async (req, reply) => {
    const p = req.panelPrincipal;
    return reply.redirect(p ? (p.kind === 'staff' ? '/admin' : '/client') : '/login', 302);
  });

  panel.get('/login', async (req, reply) => {
    const next = safeNext(query(req).next);
    if (req.panelPrincipal && next !== '/') return reply.redirect(next, 302);
    return showLogin(req, reply, { next, email: '', error: null });
  });

  panel.post('/login', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body.email === 'string' ? body.email.slice(0, 254) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
    const outcome = await signIn(ctx, { email, password, ip: req.ip });
    if (!outcome.ok) {
      if (outcome.reason === 'throttled') {
        const minutes = Math.max(1, Math.ceil(outcome.retryAfterMs / 60_000));
        reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
        return showLogin(req, reply, {
          next,
          email,
          error: `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
          status: 429,
        });
      }
      return showLogin(req, reply, { next, email, error: WRONG, status: 401 });
    }
    // Rotation: whatever session the browser had ends, and a new token is issued.
    if (req.panelSession) await endSession(ctx, req.panelSession.id);
    const { token } = await createSession(ctx, outcome.userKind, outcome.userId);
    // Sessions past their absolute expiry go here (an index range), so the table stays small.
    await purgeExpiredSessions(ctx);
    reply.setCookie(SESSION_COOKIE, token, {
      ...cookieOptions(req, ctx),
      maxAge: SESSION_ABSOLUTE_MS / 1000,
    });
    reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req, ctx));
    const home = outcome.userKind === 'staff' ? '/admin' : '/client';
    const target = next === '/' || !next.startsWith(home) ? home : next;
    return reply.redirect(target, 303);
  });

  panel.post('/logout', async (req, reply) => {
    if (req.panelSession) await endSession(ctx, req.panelSession.id);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req, ctx));
    return reply.redirect('/login', 303);
  });
}

async function showLogin(
  req: FastifyRequest,
  reply: FastifyReply,
  data: { next: string; email: string; error: string | null; status?: number },
): Promise<FastifyReply> {
  const ctx = reply.server.panelContext;
  const loginCsrf = req.cookies[LOGIN_CSRF_COOKIE] ?? newCsrfToken();
  reply.setCookie(LOGIN_CSRF_COOKIE, loginCsrf, { ...cookieOptions(req, ctx), maxAge: 3600 });
  return render(
    reply,
    'login',
    { loginCsrf, next: data.next, email: data.email, error: data.error },
    { status: data.status ?? 200, title: 'Sign in' },
  );
}

/**
 * The panel cookies: HttpOnly, SameSite=Lax, Path=/, and Secure when the request came over HTTPS
 * or `PanelSecureCookie` says the panel is behind a TLS proxy.
 */
export function cookieOptions(req: FastifyRequest, ctx: AppContext) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: req.protocol === 'https' || ctx.config.panelSecureCookie,
  };
}

function query(req: FastifyRequest): Record<string, string | undefined> {
  return (req.query ?? {}) as Record<string, string | undefined>;
}
