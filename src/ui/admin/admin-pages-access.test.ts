import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
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
import type { App } from '../../http/build-app.ts';

describe.each(testDialects())(
  'access to the tariff, product type, client and service pages on %s',
  (dialect) => {
    let ctx: TestContext;
    let app: App;
    let admin: PanelLogin;
    let client: PanelLogin;
    let gets: string[];
    let posts: string[];

    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      app = await buildPanelApp(ctx);
      admin = await loginAs(app, await createStaffLogin(ctx));
      const clientLogin = await createClientLogin(ctx);
      client = await loginAs(app, clientLogin);
      const make = builders(ctx);
      const tariff = await make.tariff();
      const paying = await make.client({ balance: '100.00' });
      const { serviceId } = await make.order({ clientId: paying.id, tariffId: tariff.id });
      gets = [
        '/admin/tariffs',
        '/admin/tariffs/new',
        `/admin/tariffs/${tariff.id}`,
        `/admin/tariffs/${tariff.id}/config`,
        `/admin/tariffs/${tariff.id}/config/add`,
        '/admin/product-types',
        '/admin/product-types/ssl',
        '/admin/clients',
        '/admin/clients/new',
        `/admin/clients/${paying.id}`,
        '/admin/services',
        `/admin/services/${serviceId}`,
      ];
      posts = [
        '/admin/tariffs',
        `/admin/tariffs/${tariff.id}`,
        `/admin/tariffs/${tariff.id}/config`,
        `/admin/tariffs/${tariff.id}/config/uc-san/remove`,
        '/admin/product-types/ssl',
        '/admin/clients',
        `/admin/clients/${paying.id}/credit`,
        `/admin/services/${serviceId}/retry`,
        `/admin/services/${serviceId}/reissue`,
        `/admin/services/${serviceId}/cancel`,
      ];
    });
    afterAll(async () => {
      await app.close();
      await ctx.drop();
    });

    it('opens every page for staff', async () => {
      for (const url of gets) expect((await getPage(app, url, admin)).statusCode, url).toBe(200);
    });

    it('answers 403 to a client user on every page and form', async () => {
      for (const url of gets) expect((await getPage(app, url, client)).statusCode, url).toBe(403);
      for (const url of posts) expect((await postForm(app, url, {}, client)).statusCode, url).toBe(403);
    });

    it('sends a signed-out visitor to the sign-in page', async () => {
      for (const url of gets) {
        const res = await getPage(app, url);
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      }
    });

    it('refuses every form without the CSRF token and changes nothing', async () => {
      const tariffsBefore = await ctx.db.kysely.selectFrom('tariffs').select('id').execute();
      for (const url of posts) {
        const res = await postForm(app, url, { _csrf: null, name: 'x', amount: '5.00' }, admin);
        expect(res.statusCode, url).toBe(403);
        expect(res.body).toContain('This form has expired or did not come from this site');
        const wrong = await postForm(app, url, { _csrf: 'not-the-token' }, admin);
        expect(wrong.statusCode, url).toBe(403);
      }
      expect(await ctx.db.kysely.selectFrom('tariffs').select('id').execute()).toEqual(tariffsBefore);
    });
  },
);
