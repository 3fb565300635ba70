import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { readSslProductSettings } from '../../billing/product-settings.ts';
import type { App } from '../../http/build-app.ts';

describe.each(testDialects())('Products → Product types → SSL certificate on %s', (dialect) => {
  describe('without a configuration override', () => {
    let ctx: TestContext;
    let app: App;
    let admin: PanelLogin;
    beforeAll(async () => {
      ctx = await createTestContext(dialect);
      app = await buildPanelApp(ctx);
      admin = await loginAs(app, await createStaffLogin(ctx));
    });
    afterAll(async () => {
      await app.close();
      await ctx.drop();
    });

    it('shows the Subscription block with the default of 10 days and saves it through the use case', async () => {
      const page = await getPage(app, '/admin/product-types/ssl', admin);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(
        '<label for="subscription-policy">Expired certificate processing policy</label>',
      );
      expect(page.body).toContain(
        '<label for="subscription-before">Period to start working with expiring certificate</label>',
      );
      expect(page.body).toContain('<option value="auto" selected>Automatic certificate reissue</option>');
      expect(page.body).toContain('<option value="manual">Certificate expiration notification</option>');
      expect(page.body).toMatch(/id="subscription-before" name="before" value="10"/);
      expect(page.body).not.toContain('Overridden');

      const saved = await postForm(
        app,
        '/admin/product-types/ssl',
        { policy: 'manual', before: '45' },
        admin,
      );
      expect(saved.statusCode).toBe(303);
      const settings = await readSslProductSettings(ctx);
      expect(settings.subscription.policy).toMatchObject({ value: 'manual', source: 'panel' });
      expect(settings.subscription.before).toMatchObject({ value: 45, source: 'panel' });
      expect((await getPage(app, '/admin/product-types/ssl', admin)).body).toContain(
        'Subscription block saved.',
      );
    });

    it('refuses more than 200 days next to the field and stores nothing', async () => {
      const res = await postForm(app, '/admin/product-types/ssl', { policy: 'auto', before: '201' }, admin);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(
        'id="subscription-before-error">Days before expiration must be a whole number from 1 to 200; got 201.',
      );
      expect(res.body).toMatch(/name="before" value="201"/);
      const text = await postForm(app, '/admin/product-types/ssl', { policy: 'auto', before: 'ten' }, admin);
      expect(text.statusCode).toBe(400);
      expect(text.body).toContain(
        'id="subscription-before-error">Enter a whole number of days from 1 to 200',
      );
      expect((await readSslProductSettings(ctx)).subscription.before.value).toBe(45);
    });
  });

  describe('with etc/certbill.conf overriding the days', () => {
    let ctx: TestContext;
    let app: App;
    let admin: PanelLogin;
    beforeAll(async () => {
      ctx = await createTestContext(dialect, {
        subscriptionOverride: { before: { value: 20, source: 'etc/certbill.conf:3' } },
      });
      app = await buildPanelApp(ctx);
      admin = await loginAs(app, await createStaffLogin(ctx));
    });
    afterAll(async () => {
      await app.close();
      await ctx.drop();
    });

    it('says the configuration value is in force and the saved value is not', async () => {
      const saved = await postForm(app, '/admin/product-types/ssl', { policy: 'auto', before: '30' }, admin);
      expect(saved.statusCode).toBe(303);
      const page = await getPage(app, '/admin/product-types/ssl', admin);
      expect(page.body).toContain('does not apply until that line is removed');
      expect(page.body).toContain(
        'Overridden: <strong>20 days</strong> is in force, set by <code>etc/certbill.conf:3</code> (SSLSubscriptionBefore). The value saved here (30 days) is not in force',
      );
      expect(page.body).not.toContain('(SSLSubscriptionPolicy)');
      const settings = await readSslProductSettings(ctx);
      expect(settings.subscription.before).toEqual({
        value: 20,
        source: 'etc/certbill.conf:3',
        panelValue: 30,
      });
      const list = await getPage(app, '/admin/product-types', admin);
      expect(list.body).toContain('from etc/certbill.conf:3');
    });
  });
});
