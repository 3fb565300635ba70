import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders, uniqueEmail } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { showAccount } from '../../billing/show-account.ts';
import type { App } from '../../http/build-app.ts';

describe.each(testDialects())('Clients on %s', (dialect) => {
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

  it('adds a client from the form and lists it with its balance', async () => {
    const email = uniqueEmail('ann');
    const res = await postForm(app, '/admin/clients', { name: 'Ann & Co', email, currency: 'EUR' }, admin);
    expect(res.statusCode).toBe(303);
    const page = await getPage(app, res.headers.location as string, admin);
    expect(page.body).toContain('Client &#34;Ann &amp; Co&#34; added with a balance of 0.');
    expect(page.body).toContain(email);
    const list = await getPage(app, '/admin/clients', admin);
    expect(list.body).toMatch(/Ann &amp; Co<\/a><\/td><td>[^<]+<\/td><td class="num">0.00 EUR<\/td>/);

    const again = await postForm(app, '/admin/clients', { name: 'Twin', email, currency: 'USD' }, admin);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain(
      `id="client-email-error">A user with the e-mail address ${email} already exists.`,
    );
    expect(again.body).toMatch(/id="client-name" name="name" value="Twin"/);
  });

  it('credits the balance once per form and shows it in the transactions', async () => {
    const client = await builders(ctx).client({ name: 'Credit Ltd' });
    const page = await getPage(app, `/admin/clients/${client.id}`, admin);
    expect(page.body).toContain('<label for="credit-amount">Amount (USD)</label>');
    expect(page.body).toContain('<button type="submit">Credit balance</button>');
    const key = /name="idempotency_key" value="([^"]+)"/.exec(page.body)![1]!;
    const fields = { amount: '150.00', note: 'bank transfer 42', idempotency_key: key };
    const first = await postForm(app, `/admin/clients/${client.id}/credit`, fields, admin);
    expect(first.statusCode).toBe(303);
    const shown = await getPage(app, `/admin/clients/${client.id}`, admin);
    expect(shown.body).toContain('Credited 150.00 USD; the balance is 150.00 USD.');
    expect(shown.body).toContain('bank transfer 42');
    // A double submit of the same form moves nothing.
    await postForm(app, `/admin/clients/${client.id}/credit`, fields, admin);
    const account = await showAccount(ctx, client.id);
    expect(account.balance.amountMinor).toBe(15000);
    expect(account.entries.map((e) => e.kind)).toEqual(['credit']);

    const bad = await postForm(
      app,
      `/admin/clients/${client.id}/credit`,
      { amount: '-5', idempotency_key: 'x' },
      admin,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain(
      'id="credit-amount-error">A credit must be a positive amount; got &#34;-5&#34;.',
    );
  });

  it('shows a client page with its users and services, and 404 for an unknown client', async () => {
    const make = builders(ctx);
    const client = await make.client({ name: 'Orders Ltd', balance: '100.00' });
    const tariff = await make.tariff();
    await make.order({ clientId: client.id, tariffId: tariff.id, cn: 'shop.example.com' });
    const page = await getPage(app, `/admin/clients/${client.id}`, admin);
    expect(page.body).toContain('shop.example.com');
    expect(page.body).toContain(client.users[0]!.email);
    expect(page.body).toContain('70.00 USD');
    expect((await getPage(app, '/admin/clients/999999', admin)).statusCode).toBe(404);
  });
});
