import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders, uniqueEmail } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import {
  buildPanelApp,
  cookieFrom,
  createClientLogin,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  submitLogin,
  TEST_PASSWORD,
} from '../../test/support/panel.ts';
import { addClient } from '../billing/add-client.ts';
import { creditAccount } from '../billing/credit-account.ts';
import type { App } from '../http/build-app.ts';
import { SESSION_IDLE_MS } from './access/session-store.ts';
import { ADMIN_NAV, CLIENT_NAV } from './navigation.ts';

const HOUR = 3_600_000;

describe.each(testDialects())('panel access on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let ip = 0;
  /** A fresh client address per test, so the per-IP limit of one test does not leak into another. */
  const nextIp = () => `198.51.100.${++ip}`;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('signs a staff user in with a session cookie that is HttpOnly, SameSite=Lax and Path=/', async () => {
    const staff = await createStaffLogin(ctx, { name: 'Olga Ops' });
    const res = await submitLogin(app, staff, { remoteAddress: nextIp() });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const cookie = res.cookies.find((c) => c.name === 'certbill_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const page = await app.inject({
      method: 'GET',
      url: '/admin',
      headers: { cookie: `certbill_session=${cookie.value}` },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Olga Ops');
    expect(page.body).toContain('Reselling services balance');
    for (const entry of ADMIN_NAV.flatMap((e) => [e, ...(e.children ?? [])])) {
      expect(page.body).toContain(`>${entry.label}<`);
    }
  });

  it('stores an argon2id hash of the password, never the password', async () => {
    const staff = await createStaffLogin(ctx, { password: 'a very secret phrase' });
    const row = await ctx.db.kysely
      .selectFrom('staff_users')
      .select(['password_hash', 'password_set_at'])
      .where('id', '=', staff.staffId)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain('a very secret phrase');
    expect(row.password_set_at).toBe(ctx.clock.now().toISOString());
  });

  it('answers a wrong password and an unknown e-mail with the same page, so addresses cannot be probed', async () => {
    const staff = await createStaffLogin(ctx);
    const wrong = await submitLogin(
      app,
      { email: staff.email, password: 'not the password' },
      { remoteAddress: nextIp() },
    );
    const unknown = await submitLogin(
      app,
      { email: uniqueEmail('nobody'), password: 'not the password' },
      { remoteAddress: nextIp() },
    );
    const noPassword = (await addClient(ctx, { name: 'No login', email: uniqueEmail('nologin') })).users[0]!;
    const without = await submitLogin(
      app,
      { email: noPassword.email, password: 'anything at all' },
      { remoteAddress: nextIp() },
    );
    for (const res of [wrong, unknown, without]) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Wrong e-mail or password.');
      expect(cookieFrom(res, 'certbill_session')).toBeUndefined();
    }
    // The pages differ only in the e-mail typed back into the form and the form's own CSRF token.
    const normalise = (html: string) =>
      html.replace(/name="email" value="[^"]*"/, '').replace(/name="_csrf" value="[^"]*"/, '');
    expect(normalise(wrong.body)).toBe(normalise(unknown.body));
    expect(normalise(without.body)).toBe(normalise(unknown.body));
  });

  it('locks an account after 5 wrong passwords, even against the right one, and opens it 15 minutes later', async () => {
    const client = await createClientLogin(ctx);
    for (let i = 0; i < 5; i++) {
      const res = await submitLogin(
        app,
        { email: client.email, password: `wrong ${i}` },
        { remoteAddress: nextIp() },
      );
      expect(res.statusCode).toBe(401);
    }
    const locked = await submitLogin(app, client, { remoteAddress: nextIp() });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Too many sign-in attempts. Try again in 15 minutes.');
    expect(locked.headers['retry-after']).toBe('900');
    ctx.clock.advanceMs(15 * 60_000);
    expect((await submitLogin(app, client, { remoteAddress: nextIp() })).statusCode).toBe(303);
  });

  it('locks a client address after 20 failed sign-ins, whatever the e-mail', async () => {
    const address = nextIp();
    for (let i = 0; i < 20; i++) {
      await submitLogin(app, { email: uniqueEmail('guess'), password: 'guess' }, { remoteAddress: address });
    }
    const staff = await createStaffLogin(ctx);
    const locked = await submitLogin(app, staff, { remoteAddress: address });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toMatch(/Try again in \d+ minutes?\./);
    expect((await submitLogin(app, staff, { remoteAddress: nextIp() })).statusCode).toBe(303);
    ctx.clock.advanceMs(15 * 60_000);
  });

  it('ends the session on the server at logout, so the old cookie opens nothing', async () => {
    const staff = await createStaffLogin(ctx);
    const login = await loginAs(app, staff, { remoteAddress: nextIp() });
    const out = await postForm(app, '/logout', {}, login);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    const after = await getPage(app, '/admin', login);
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toBe('/login?next=%2Fadmin');
    const rows = await ctx.db.kysely
      .selectFrom('web_sessions')
      .select('id')
      .where('user_kind', '=', 'staff')
      .where('user_id', '=', staff.staffId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('refuses a POST without the CSRF token or with a wrong one (403), and does nothing', async () => {
    const staff = await createStaffLogin(ctx);
    const login = await loginAs(app, staff, { remoteAddress: nextIp() });
    const missing = await postForm(app, '/logout', { _csrf: null }, login);
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('This form has expired or did not come from this site');
    const wrong = await postForm(app, '/logout', { _csrf: 'x'.repeat(login.csrf.length) }, login);
    expect(wrong.statusCode).toBe(403);
    expect((await getPage(app, '/admin', login)).statusCode).toBe(200);
    const viaHeader = await app.inject({
      method: 'POST',
      url: '/logout',
      headers: { cookie: login.cookie, 'x-csrf-token': login.csrf },
    });
    expect(viaHeader.statusCode).toBe(303);
  });

  it('refuses the login form without its CSRF cookie', async () => {
    const staff = await createStaffLogin(ctx);
    const res = await postForm(app, '/login', {
      _csrf: 'forged',
      email: staff.email,
      password: staff.password,
    });
    expect(res.statusCode).toBe(403);
    expect(cookieFrom(res, 'certbill_session')).toBeUndefined();
  });

  it('sends a visitor who is not signed in to /login with the page to come back to', async () => {
    const res = await getPage(app, '/admin/tasks?state=open');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fadmin%2Ftasks%3Fstate%3Dopen');
    expect((await getPage(app, '/client')).headers.location).toBe('/login?next=%2Fclient');
    expect((await getPage(app, '/')).headers.location).toBe('/login');
    const staff = await createStaffLogin(ctx);
    const back = await submitLogin(app, staff, { remoteAddress: nextIp(), next: '/admin/tasks?state=open' });
    expect(back.headers.location).toBe('/admin/tasks?state=open');
    const offsite = await submitLogin(app, staff, { remoteAddress: nextIp(), next: '//evil.example/' });
    expect(offsite.headers.location).toBe('/admin');
  });

  it('answers 403 to a client user on a staff page and to staff on a client page', async () => {
    const client = await loginAs(app, await createClientLogin(ctx), { remoteAddress: nextIp() });
    const staff = await loginAs(app, await createStaffLogin(ctx), { remoteAddress: nextIp() });
    const onAdmin = await getPage(app, '/admin', client);
    expect(onAdmin.statusCode).toBe(403);
    expect(onAdmin.body).toContain('This page is for staff.');
    expect((await getPage(app, '/admin/no-such-page', client)).statusCode).toBe(403);
    expect((await getPage(app, '/client', staff)).statusCode).toBe(403);
    expect((await getPage(app, '/', client)).headers.location).toBe('/client');
    expect((await getPage(app, '/', staff)).headers.location).toBe('/admin');
  });

  it('ends a session after 2 idle hours, and after 12 hours however busy', async () => {
    const staff = await createStaffLogin(ctx);
    const idle = await loginAs(app, staff, { remoteAddress: nextIp() });
    ctx.clock.advanceMs(SESSION_IDLE_MS - 60_000);
    expect((await getPage(app, '/admin', idle)).statusCode).toBe(200);
    ctx.clock.advanceMs(SESSION_IDLE_MS + 1);
    expect((await getPage(app, '/admin', idle)).statusCode).toBe(302);

    const busy = await loginAs(app, staff, { remoteAddress: nextIp() });
    for (let h = 1; h < 12; h++) {
      ctx.clock.advanceMs(HOUR);
      expect((await getPage(app, '/admin', busy)).statusCode).toBe(200);
    }
    ctx.clock.advanceMs(HOUR);
    expect((await getPage(app, '/admin', busy)).statusCode).toBe(302);
  });

  it('issues a new session at sign-in and ends the one the browser had', async () => {
    const staff = await createStaffLogin(ctx);
    const first = await loginAs(app, staff, { remoteAddress: nextIp() });
    const form = await getPage(app, '/login', first);
    const again = await app.inject({
      method: 'POST',
      url: '/login',
      cookies: {
        certbill_session: first.cookie.split('=')[1]!,
        certbill_login_csrf: cookieFrom(form, 'certbill_login_csrf')!,
      },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(
          form.body.slice(form.body.indexOf('action="/login"')),
        )![1]!,
        email: staff.email,
        password: staff.password,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: nextIp(),
    });
    expect(again.statusCode).toBe(303);
    const second = cookieFrom(again, 'certbill_session')!;
    expect(`certbill_session=${second}`).not.toBe(first.cookie);
    expect((await getPage(app, '/admin', first)).statusCode).toBe(302);
  });

  it("shows a client its balance and services, and answers 404 for another client's service", async () => {
    const make = builders(ctx);
    const tariff = await make.tariff();
    const ann = await createClientLogin(ctx, { name: 'Ann <b>Ltd</b>' });
    const bob = await createClientLogin(ctx, { name: 'Bob Ltd' });
    await make.client({}); // a third client with no login
    await creditAccount(ctx, { clientId: ann.clientId, amount: '150.00', idempotencyKey: uniqueEmail('k') });
    await creditAccount(ctx, { clientId: bob.clientId, amount: '150.00', idempotencyKey: uniqueEmail('k') });
    const annService = await make.order({
      clientId: ann.clientId,
      tariffId: tariff.id,
      cn: 'ann-example.com',
    });
    const annLogin = await loginAs(app, ann, { remoteAddress: nextIp() });
    const bobLogin = await loginAs(app, bob, { remoteAddress: nextIp() });

    const home = await getPage(app, '/client', annLogin);
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('120.00 USD');
    expect(home.body).toMatch(/<h2>My services<\/h2>\s*<p class="big">1<\/p>/);
    expect(home.body).toContain('Ann &lt;b&gt;Ltd&lt;/b&gt;');
    expect(home.body).not.toContain('<b>Ltd</b>');
    for (const entry of CLIENT_NAV) expect(home.body).toContain(`>${entry.label}<`);

    const url = `/client/services/${annService.serviceId}/summary`;
    expect((await getPage(app, url, annLogin)).body).toContain('ann-example.com');
    const other = await getPage(app, url, bobLogin);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('ann-example.com');
    expect((await getPage(app, '/client/services/999999/summary', bobLogin)).body).toBe(other.body);
  });

  it('marks the session cookie Secure when PanelSecureCookie is on', async () => {
    const secureApp = await buildPanelApp({ ...ctx, config: { ...ctx.config, panelSecureCookie: true } });
    try {
      const staff = await createStaffLogin(ctx);
      const res = await submitLogin(secureApp, staff, { remoteAddress: nextIp() });
      expect(res.cookies.find((c) => c.name === 'certbill_session')?.secure).toBe(true);
    } finally {
      await secureApp.close();
    }
  });

  it('serves the stylesheet and script with cache headers, without a session', async () => {
    const css = await app.inject({ method: 'GET', url: '/assets/panel.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=3600');
    expect(cookieFrom(css, 'certbill_session')).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/assets/panel.js' })).statusCode).toBe(200);
  });

  it('leaves the JSON API alone: no cookie parsing, JSON 404 outside the panel', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CORE_NOT_FOUND');
    expect(TEST_PASSWORD.length).toBeGreaterThanOrEqual(10);
  });
});
