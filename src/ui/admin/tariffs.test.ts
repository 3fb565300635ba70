import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { getTariff, listTariffs } from '../../billing/tariff-repository.ts';
import type { App } from '../../http/build-app.ts';
import { insertTestModule } from './panel-test-data.ts';

describe.each(testDialects())('Products → Tariff plans on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  let gsMain: number;
  let gsSpare: number;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx);
    admin = await loginAs(app, await createStaffLogin(ctx));
    gsMain = await insertTestModule(ctx, 'GS main', 1);
    gsSpare = await insertTestModule(ctx, 'GS spare', 2);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  const idFrom = (location: unknown) => Number(/\/admin\/tariffs\/(\d+)/.exec(String(location))?.[1]);

  it('creates a tariff plan with prices and both addons through the forms, as the use case reads it back', async () => {
    const form = await getPage(app, '/admin/tariffs/new', admin);
    expect(form.statusCode).toBe(200);
    for (const label of [
      'Name',
      'Product',
      'Currency',
      'Price for 1 year',
      'Price for 5 years',
      'Order of GS main',
    ]) {
      expect(form.body).toMatch(new RegExp(`<label for="[^"]+">${label}</label>`));
    }
    const created = await postForm(
      app,
      '/admin/tariffs',
      {
        name: 'DomainSSL multi-domain',
        product: 'DV',
        currency: 'USD',
        price_1: '79.00',
        price_2: '140.50',
        price_5: '300',
        [`module_${gsMain}`]: 'on',
        [`module_order_${gsMain}`]: '2',
        [`module_${gsSpare}`]: 'on',
        [`module_order_${gsSpare}`]: '1',
        active: 'on',
      },
      admin,
    );
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location);
    const page = await getPage(app, `/admin/tariffs/${id}`, admin);
    expect(page.body).toContain('Tariff plan &#34;DomainSSL multi-domain&#34; created.');
    expect(page.body).toContain('<button type="submit">Config</button>');

    const config = await getPage(app, `/admin/tariffs/${id}/config`, admin);
    expect(config.body).toContain('<button type="submit">Add</button>');
    const addForm = await getPage(app, `/admin/tariffs/${id}/config/add`, admin);
    expect(addForm.body).toContain('<label for="addon-type">Type</label>');
    expect(addForm.body).toContain('<label for="addon-price-5">Price per name for 5 years</label>');
    expect(addForm.body).not.toContain('addon-price-3');
    expect(addForm.body).toContain('<button type="submit">Ok</button>');

    const addUc = await postForm(
      app,
      `/admin/tariffs/${id}/config`,
      {
        kind: 'uc-san',
        included_count: '0',
        addon_price_1: '0.00',
        addon_price_2: '0.00',
        addon_price_5: '0.00',
      },
      admin,
    );
    expect(addUc.statusCode).toBe(303);
    expect(addUc.headers.location).toBe(`/admin/tariffs/${id}/config`);
    const addDomains = await postForm(
      app,
      `/admin/tariffs/${id}/config`,
      {
        kind: 'additional-domain',
        included_count: '1',
        addon_price_1: '20.00',
        addon_price_2: '35.00',
        addon_price_5: '80.00',
      },
      admin,
    );
    expect(addDomains.statusCode).toBe(303);

    const tariff = await getTariff(ctx.db.kysely, id);
    expect(tariff).toMatchObject({
      name: 'DomainSSL multi-domain',
      product: 'DV',
      currency: 'USD',
      active: true,
    });
    expect(tariff.prices.map((p) => [p.years, p.price.amountMinor])).toEqual([
      [1, 7900],
      [2, 14050],
      [5, 30000],
    ]);
    expect(tariff.modules.map((m) => m.moduleId)).toEqual([gsSpare, gsMain]);
    expect(
      tariff.addons.map((a) => [a.label, a.includedCount, a.prices.map((p) => p.price.amountMinor)]),
    ).toEqual([
      ['Additional UC SANs domains', 0, [0, 0, 0]],
      ['Additional domains', 1, [2000, 3500, 8000]],
    ]);
    const after = await getPage(app, `/admin/tariffs/${id}/config`, admin);
    expect(after.body).toContain('Additional domains added.');
    expect(after.body).toMatch(
      /<td>Additional domains<\/td>\s*<td class="num">1<\/td>\s*<td class="num">20.00 USD<\/td>/,
    );
  });

  it('shows what is wrong next to the fields and keeps what was typed', async () => {
    const before = (await listTariffs(ctx.db.kysely)).length;
    const res = await postForm(
      app,
      '/admin/tariffs',
      { name: 'Broken', product: 'DV', currency: 'USD', price_1: '7.999', price_2: '0' },
      admin,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/id="price-1"[^>]*value="7.999"[^>]*aria-invalid="true"/);
    expect(res.body).toContain(
      '<p class="field-error" id="price-1-error">&#34;7.999&#34; is not a valid USD amount',
    );
    expect(res.body).toContain(
      '<p class="field-error" id="price-2-error">The price must be more than zero.</p>',
    );

    const noName = await postForm(
      app,
      '/admin/tariffs',
      { name: ' ', product: 'EV', currency: 'USD', price_1: '10', wildcard: 'on' },
      admin,
    );
    expect(noName.statusCode).toBe(400);
    expect(noName.body).toMatch(/id="tariff-(name|product)-error">/);

    const tariff = await builders(ctx).tariff();
    const addon = await postForm(
      app,
      `/admin/tariffs/${tariff.id}/config`,
      { kind: '', addon_price_1: 'abc', addon_price_2: '1', addon_price_5: '1' },
      admin,
    );
    expect(addon.statusCode).toBe(400);
    expect(addon.body).toContain('id="addon-type-error">Select the Type');
    expect(addon.body).toContain('id="addon-price-1-error">&#34;abc&#34; is not a valid USD amount');
    expect((await listTariffs(ctx.db.kysely)).length).toBe(before + 1);
  });

  it('edits a tariff plan: name, a period no longer sold, module order, and removes an addon', async () => {
    const tariff = await builders(ctx).tariff({ moduleIds: [gsMain] });
    const res = await postForm(
      app,
      `/admin/tariffs/${tariff.id}`,
      {
        name: 'DomainSSL renamed',
        price_1: '31.00',
        price_5: '100.00',
        price_3: '80.00',
        [`module_${gsMain}`]: 'on',
        [`module_${gsSpare}`]: 'on',
        [`module_order_${gsSpare}`]: '1',
        [`module_order_${gsMain}`]: '2',
      },
      admin,
    );
    expect(res.statusCode).toBe(303);
    const edited = await getTariff(ctx.db.kysely, tariff.id);
    expect(edited.name).toBe('DomainSSL renamed');
    expect(edited.active).toBe(false);
    expect(edited.prices.map((p) => [p.years, p.price.amountMinor])).toEqual([
      [1, 3100],
      [3, 8000],
      [5, 10000],
    ]);
    expect(edited.addons.find((a) => a.kind === 'additional-domain')!.prices.map((p) => p.years)).toEqual([
      1, 3, 5,
    ]);
    expect(edited.modules.map((m) => m.moduleId)).toEqual([gsSpare, gsMain]);

    const removed = await postForm(app, `/admin/tariffs/${tariff.id}/config/uc-san/remove`, {}, admin);
    expect(removed.statusCode).toBe(303);
    expect((await getTariff(ctx.db.kysely, tariff.id)).addons.map((a) => a.kind)).toEqual([
      'additional-domain',
    ]);
    const list = await getPage(app, '/admin/tariffs', admin);
    expect(list.body).toContain('DomainSSL renamed');
    expect(list.body).toContain('<th>Name</th>');
  });

  it('answers 404 for a tariff plan that does not exist', async () => {
    expect((await getPage(app, '/admin/tariffs/999999', admin)).statusCode).toBe(404);
    expect((await getPage(app, '/admin/tariffs/abc/config', admin)).statusCode).toBe(404);
  });
});
