import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AppContext } from '../../src/app-context.ts';
import { addClient } from '../../src/billing/add-client.ts';
import { addStaffUser } from '../../src/billing/add-staff-user.ts';
import { buildApp, type App } from '../../src/http/build-app.ts';
import { setUserPassword } from '../../src/ui/access/set-user-password.ts';
import type { PanelPage } from '../../src/ui/page.ts';
import { createUiRoutes } from '../../src/ui/ui-routes.ts';
import { uniqueEmail } from './builders.ts';

/** A signed-in browser: its cookie header and the session's CSRF token. */
export interface PanelLogin {
  readonly cookie: string;
  readonly csrf: string;
}

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The panel alone (strict variables, no template cache) on a test context; `pages` replaces the
 * admin or client page lists, e.g. to mount a page under test by itself.
 */
export function buildPanelApp(
  ctx: AppContext,
  pages: { adminPages?: readonly PanelPage[]; clientPages?: readonly PanelPage[] } = {},
): Promise<App> {
  return buildApp(ctx, [createUiRoutes({ strict: true, cache: false, ...pages })]);
}

/** A staff user (role admin) with a panel password. */
export async function createStaffLogin(
  ctx: AppContext,
  opts: { email?: string; password?: string; name?: string } = {},
): Promise<Credentials & { staffId: number }> {
  const email = opts.email ?? uniqueEmail('staff');
  const password = opts.password ?? TEST_PASSWORD;
  const staff = await addStaffUser(ctx, { email, name: opts.name ?? 'Ops' });
  await setUserPassword(ctx, { kind: 'staff', email, password });
  return { email, password, staffId: staff.id };
}

/** A new client (with its account) whose first user has a panel password. */
export async function createClientLogin(
  ctx: AppContext,
  opts: { email?: string; password?: string; name?: string } = {},
): Promise<Credentials & { clientId: number; clientUserId: number }> {
  const email = opts.email ?? uniqueEmail('client');
  const password = opts.password ?? TEST_PASSWORD;
  const client = await addClient(ctx, { name: opts.name ?? 'Example Ltd', email });
  await setUserPassword(ctx, { kind: 'client', email, password });
  return { email, password, clientId: client.id, clientUserId: client.users[0]!.id };
}

/** The value of a Set-Cookie of a response, or undefined. */
export function cookieFrom(res: LightMyRequestResponse, name: string): string | undefined {
  return res.cookies.find((c) => c.name === name)?.value;
}

/** The `_csrf` hidden field of a page. */
export function csrfFrom(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/**
 * Submits the login form as a browser does (GET /login for its CSRF cookie, then POST) and returns
 * the raw answer: 303 on success, 401 for wrong credentials, 429 when throttled.
 */
export async function submitLogin(
  app: App,
  creds: Credentials,
  opts: { remoteAddress?: string; next?: string } = {},
): Promise<LightMyRequestResponse> {
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress: opts.remoteAddress });
  const loginCsrf = cookieFrom(form, 'certbill_login_csrf')!;
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: opts.remoteAddress,
    cookies: { certbill_login_csrf: loginCsrf },
    payload: new URLSearchParams({
      _csrf: csrfFrom(form.body)!,
      email: creds.email,
      password: creds.password,
      ...(opts.next ? { next: opts.next } : {}),
    }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

/**
 * Signs in and returns the session cookie and CSRF token for `getPage` / `postForm`.
 * @example
 *   const admin = await loginAs(app, await createStaffLogin(ctx));
 *   const page = await getPage(app, '/admin', admin);
 *   const saved = await postForm(app, '/admin/tariffs', { name: 'DomainSSL' }, admin);
 */
export async function loginAs(
  app: App,
  creds: Credentials,
  opts: { remoteAddress?: string } = {},
): Promise<PanelLogin> {
  const res = await submitLogin(app, creds, opts);
  expect(res.statusCode, `sign-in of ${creds.email}: ${res.body}`).toBe(303);
  const token = cookieFrom(res, 'certbill_session')!;
  const cookie = `certbill_session=${token}`;
  const home = await app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie } });
  const csrf = csrfFrom(home.body);
  expect(csrf, 'the home page carries the CSRF token').toBeDefined();
  return { cookie, csrf: csrf! };
}

/** GET a panel page, signed in or not. */
export function getPage(app: App, url: string, login?: PanelLogin): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: login ? { cookie: login.cookie } : {} });
}

/**
 * POSTs a form as the browser does, adding the session's `_csrf` unless `fields._csrf` is given
 * (pass `_csrf: null` to send none).
 */
export function postForm(
  app: App,
  url: string,
  fields: Record<string, string | readonly string[] | null>,
  login?: PanelLogin,
): Promise<LightMyRequestResponse> {
  const body = new URLSearchParams();
  const withCsrf = '_csrf' in fields ? fields : { _csrf: login?.csrf ?? null, ...fields };
  for (const [k, v] of Object.entries(withCsrf)) {
    if (v === null) continue;
    for (const one of typeof v === 'string' ? [v] : v) body.append(k, one);
  }
  return app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(login ? { cookie: login.cookie } : {}),
    },
  });
}
