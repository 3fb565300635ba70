import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../../../test/contract/provisioning-test-context.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createClientLogin,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { addDepartment } from '../../billing/add-department.ts';
import type { App } from '../../http/build-app.ts';
import { passwordAad, provisioningKysely } from '../../provisioning/module-repository.ts';
import { modulePages } from './modules.ts';

describe.each(testDialects())('Integration → Processing modules on %s', (dialect) => {
  let ctx: ProvisioningTestContext;
  let app: App;
  let admin: PanelLogin;
  let client: PanelLogin;

  beforeAll(async () => {
    ctx = await createProvisioningTestContext(dialect);
    app = await buildPanelApp(ctx, { adminPages: [modulePages] });
    admin = await loginAs(app, await createStaffLogin(ctx));
    client = await loginAs(app, await createClientLogin(ctx));
    await addDepartment(ctx, { name: 'SSL desk' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const wizardFields = (extra: Record<string, string> = {}) => ({
    productType: 'ssl',
    kind: 'globalsign',
    username: SIM_USER,
    password: SIM_PASSWORD,
    demo: 'on',
    sourceAddress: 'none',
    name: `GS panel ${Math.random().toString(36).slice(2, 8)}`,
    department: '',
    sort: '3',
    minBalance: '100.00',
    ...extra,
  });
  const modules = () =>
    provisioningKysely(ctx.db.kysely).selectFrom('processing_modules').selectAll().execute();
  const idFrom = (location: unknown) => Number(/^\/admin\/modules\/(\d+)$/.exec(String(location))?.[1]);

  it('shows the wizard with the seed’s steps and a label for every field', async () => {
    const page = await getPage(app, '/admin/modules/new', admin);
    expect(page.statusCode).toBe(200);
    const legends = [...page.body.matchAll(/<legend>Step \d of 5: ([^<]+)<\/legend>/g)].map((m) => m[1]);
    expect(legends).toEqual([
      'Product type',
      'Processing module',
      'Configuring integration',
      'Parameters of the service processing module',
      'Check connection',
    ]);
    for (const [id, label] of [
      ['productType', 'Product type'],
      ['kind', 'Processing module'],
      ['username', 'Username'],
      ['password', 'Password'],
      ['sourceAddress', 'IP address'],
      ['name', 'Name'],
      ['department', 'Department'],
      ['sort', 'Sort'],
      ['minBalance', 'Processing module minimal balance'],
    ]) {
      expect(page.body).toContain(`<label for="module-${id}">${label}</label>`);
      expect(page.body).toContain(`id="module-${id}"`);
    }
    expect(page.body).toMatch(
      /<label for="module-demo" class="check"><input type="checkbox" id="module-demo"[^>]*> Demo<\/label>/,
    );
    expect(page.body).toContain('<option value="ssl" selected>SSL certificates</option>');
    expect(page.body).toContain('<option value="globalsign" selected>GlobalSign</option>');
    expect(page.body).toContain('<option value="none" selected>none</option>');
    expect(page.body).toContain('<option value="127.0.0.1">127.0.0.1</option>');
    expect(page.body).toContain('SSL desk</option>');
    expect(page.body).toContain('Check connection and save</button>');
  });

  it('saves a module after the connection check with its password sealed and never shown', async () => {
    const fields = wizardFields({ name: 'GS panel main' });
    const res = await postForm(app, '/admin/modules/new', fields, admin);
    expect(res.statusCode, res.body).toBe(303);
    const id = idFrom(res.headers.location);
    const row = (await modules()).find((m) => Number(m.id) === id)!;
    expect(row).toMatchObject({ name: 'GS panel main', username: SIM_USER, demo: 1, sort: 3 });
    expect(row.password_sealed).not.toContain(SIM_PASSWORD);
    expect(ctx.secrets.open(row.password_sealed, passwordAad(id))).toBe(SIM_PASSWORD);

    const page = await getPage(app, `/admin/modules/${id}`, admin);
    expect(page.body).toContain('processing module &#34;GS panel main&#34; added');
    expect(page.body).toContain('1000.00 USD');
    expect(page.body).toContain('Refresh balance</button>');
    expect(page.body).not.toContain(SIM_PASSWORD);
    const list = await getPage(app, '/admin/modules', admin);
    expect(list.body).toMatch(new RegExp(`<a href="/admin/modules/${id}">GS panel main</a>`));
    expect(list.body).toContain('2026-04-02 12:00 UTC');
    const edit = await getPage(app, `/admin/modules/${id}/edit`, admin);
    expect(edit.body).not.toContain(SIM_PASSWORD);
    expect(edit.body).toContain(`value="${SIM_USER}"`);
  });

  it('shows "Cannot connect to the processing module", the hints and the cause for a wrong password, keeps the entries and saves nothing', async () => {
    const before = (await modules()).length;
    const res = await postForm(
      app,
      '/admin/modules/new',
      wizardFields({ name: 'GS refused', password: 'Zq9-not-it', sort: '7' }),
      admin,
    );
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('<strong>Cannot connect to the processing module</strong>');
    expect(res.body).toContain('<li>make sure the connection parameters are correct</li>');
    expect(res.body).toContain(
      '<li>check that the URL of the Certification Authority is reachable from this server</li>',
    );
    expect(res.body).toContain('are allowed in the Certification Authority client area</li>');
    expect(res.body).toMatch(/Cause: the Certification Authority refused the login[^<]*\(-4001\)/);
    expect(res.body).not.toContain('Zq9-not-it');
    expect(res.body).toContain('value="GS refused"');
    expect(res.body).toContain(`value="${SIM_USER}"`);
    expect(res.body).toContain('value="7"');
    expect(res.body).toMatch(/id="module-demo" name="demo" value="on" checked/);
    expect(res.body).toMatch(/<input type="password" id="module-password" name="password" value=""/);
    expect((await modules()).length).toBe(before);
  });

  it('names an IP address the CA does not allow as the cause and saves nothing', async () => {
    const before = (await modules()).length;
    await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: ['192.0.2.200'] });
    try {
      const res = await postForm(app, '/admin/modules/new', wizardFields(), admin);
      expect(res.statusCode).toBe(502);
      expect(res.body).toContain('Cannot connect to the processing module');
      expect(res.body).toMatch(
        /Cause: the Certification Authority does not accept API calls from this server&#39;s IP address \(-4201\)/,
      );
      expect((await modules()).length).toBe(before);
    } finally {
      await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: [] });
    }
  });

  it('shows a refused field next to it, with what was typed', async () => {
    const res = await postForm(
      app,
      '/admin/modules/new',
      wizardFields({ name: 'GS sorted', sort: 'first' }),
      admin,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(
      /id="module-sort"[\s\S]*class="field-error" role="alert">Sort must be a whole number/,
    );
    expect(res.body).toContain('value="first"');
  });

  it('edits a module: an empty Password keeps the stored one, a wrong new one is refused with the hints', async () => {
    const added = await postForm(app, '/admin/modules/new', wizardFields({ name: 'GS to edit' }), admin);
    const id = idFrom(added.headers.location);
    const sealed = (await modules()).find((m) => Number(m.id) === id)!.password_sealed;

    const kept = await postForm(
      app,
      `/admin/modules/${id}/edit`,
      { ...wizardFields({ name: 'GS edited', sort: '9', password: '' }) },
      admin,
    );
    expect(kept.statusCode, kept.body).toBe(303);
    const row = (await modules()).find((m) => Number(m.id) === id)!;
    expect(row).toMatchObject({ name: 'GS edited', sort: 9, password_sealed: sealed, read_timeout_s: null });
    const edit = await getPage(app, `/admin/modules/${id}/edit`, admin);
    expect(edit.body).toContain('<label for="module-readTimeout">Read timeout (seconds)</label>');
    const timed = await postForm(
      app,
      `/admin/modules/${id}/edit`,
      { ...wizardFields({ name: 'GS edited', sort: '9', password: '' }), readTimeout: '20' },
      admin,
    );
    expect(timed.statusCode, timed.body).toBe(303);
    expect((await modules()).find((m) => Number(m.id) === id)).toMatchObject({
      read_timeout_s: 20,
      password_sealed: sealed,
    });

    const refused = await postForm(
      app,
      `/admin/modules/${id}/edit`,
      { ...wizardFields({ name: 'GS edited twice', password: 'Zq9-not-it' }) },
      admin,
    );
    expect(refused.statusCode).toBe(502);
    expect(refused.body).toContain('Cannot connect to the processing module');
    expect(refused.body).toContain('value="GS edited twice"');
    expect(refused.body).not.toContain('Zq9-not-it');
    expect((await modules()).find((m) => Number(m.id) === id)).toMatchObject({
      name: 'GS edited',
      password_sealed: sealed,
    });
  });

  it('refreshes the balance on demand and marks a balance under the minimal one', async () => {
    const added = await postForm(app, '/admin/modules/new', wizardFields({ name: 'GS low' }), admin);
    const id = idFrom(added.headers.location);
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '99.99' });
    try {
      ctx.clock.advanceMs(60_000);
      const res = await postForm(app, `/admin/modules/${id}/balance`, {}, admin);
      expect(res.statusCode).toBe(303);
      const page = await getPage(app, `/admin/modules/${id}`, admin);
      expect(page.body).toContain(
        'Balance read: 99.99 USD. It is below the Processing module minimal balance.',
      );
      expect(page.body).toContain('99.99 USD <span class="tag warn"');
      expect(page.body).toContain('2026-04-02 12:01 UTC');
      const list = await getPage(app, '/admin/modules', admin);
      expect(list.body).toMatch(
        new RegExp(`<tr class="low">\\s*<td><a href="/admin/modules/${id}">GS low</a>`),
      );
    } finally {
      await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '1000.00' });
    }
  });

  it('disables and enables a module', async () => {
    const added = await postForm(app, '/admin/modules/new', wizardFields({ name: 'GS switch' }), admin);
    const id = idFrom(added.headers.location);
    expect((await postForm(app, `/admin/modules/${id}/disable`, {}, admin)).statusCode).toBe(303);
    let page = await getPage(app, `/admin/modules/${id}`, admin);
    expect(page.body).toContain('Processing module &#34;GS switch&#34; disabled.');
    expect(page.body).toContain('Enable</button>');
    expect((await postForm(app, `/admin/modules/${id}/enable`, {}, admin)).statusCode).toBe(303);
    page = await getPage(app, `/admin/modules/${id}`, admin);
    expect(page.body).toContain('Disable</button>');
  });

  it('answers 404 for a module that does not exist', async () => {
    expect((await getPage(app, '/admin/modules/999999', admin)).statusCode).toBe(404);
    expect((await getPage(app, '/admin/modules/abc', admin)).statusCode).toBe(404);
  });

  it('refuses every page to a client user and every form without the CSRF token', async () => {
    const added = await postForm(app, '/admin/modules/new', wizardFields({ name: 'GS guarded' }), admin);
    const id = idFrom(added.headers.location);
    for (const url of [
      '/admin/modules',
      '/admin/modules/new',
      `/admin/modules/${id}`,
      `/admin/modules/${id}/edit`,
    ]) {
      expect((await getPage(app, url, client)).statusCode, url).toBe(403);
    }
    const before = (await modules()).length;
    for (const url of [
      '/admin/modules/new',
      `/admin/modules/${id}/edit`,
      `/admin/modules/${id}/balance`,
      `/admin/modules/${id}/check`,
      `/admin/modules/${id}/disable`,
      `/admin/modules/${id}/enable`,
    ]) {
      expect((await postForm(app, url, wizardFields(), client)).statusCode, url).toBe(403);
      expect((await postForm(app, url, { ...wizardFields(), _csrf: null }, admin)).statusCode, url).toBe(403);
    }
    expect((await modules()).length).toBe(before);
    expect((await modules()).find((m) => Number(m.id) === id)?.enabled).toBe(1);
  });
});
