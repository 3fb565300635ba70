import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCsr } from '../../../test/contract/make-test-csr.ts';
import { uniqueKey } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createClientLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import {
  createLifecycleTestContext,
  type LifecycleTestContext,
} from '../../../test/scenarios/lifecycle-test-context.ts';
import { creditAccount } from '../../billing/credit-account.ts';
import type { Tariff } from '../../billing/tariff-repository.ts';
import type { App } from '../../http/build-app.ts';

describe.each(testDialects())('ordering a certificate in the client area on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  let app: App;
  let tariff: Tariff;
  let me: PanelLogin;
  let clientId: number;

  beforeAll(async () => {
    ctx = await createLifecycleTestContext(dialect);
    // Billing hands paid services to the lifecycle, as the server's composition does.
    Object.assign(ctx, { provisioning: ctx.billing.provisioning });
    const moduleId = await ctx.addModule();
    await ctx.control('accounts/PAR12345_api/balance', { balance: '100000.00' });
    tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    app = await buildPanelApp(ctx);
    const login = await createClientLogin(ctx, { name: 'Ann Example' });
    clientId = login.clientId;
    await creditAccount(ctx, { clientId, amount: '500.00', idempotencyKey: uniqueKey('credit') });
    me = await loginAs(app, login);
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  function quote(query: Record<string, string>) {
    return app.inject({
      method: 'GET',
      url: `/client/order/quote?${new URLSearchParams(query).toString()}`,
      headers: { cookie: me.cookie },
    });
  }

  function orderFields(extra: Record<string, string> = {}): Record<string, string> {
    return {
      tariffId: String(tariff.id),
      years: '5',
      cn: 'shop.example.com',
      sans: 'www.shop.example.com\ntest.example.org',
      keyMode: 'generate',
      dcvMethod: 'dns',
      idempotencyKey: uniqueKey('panel'),
      ...extra,
    };
  }

  async function ledgerCount(): Promise<number> {
    const rows = await ctx.db.kysely
      .selectFrom('ledger_entries')
      .innerJoin('accounts', 'accounts.id', 'ledger_entries.account_id')
      .select('ledger_entries.id')
      .where('accounts.client_id', '=', clientId)
      .execute();
    return rows.length;
  }

  it('shows the order form with a label for every field and the tariff plans in the client currency', async () => {
    const page = await getPage(app, '/client/order', me);
    expect(page.statusCode).toBe(200);
    for (const [id, label] of [
      ['tariffId', 'Tariff plan'],
      ['years', 'Period'],
      ['cn', 'Domain (CN)'],
      ['sans', 'Additional names'],
      ['key-generate', 'Generate a request'],
      ['key-existing', 'Existing request'],
      ['doNotSaveKey', 'Do not save the key'],
      ['csr', 'Certificate signing request (CSR)'],
      ['approverEmail', 'Approver address'],
    ]) {
      expect(page.body).toContain(`<label for="${id}">${label}</label>`);
      expect(page.body).toContain(`id="${id}"`);
    }
    expect(page.body).toContain(`data-years="1,2,5"`);
    expect(page.body).toContain('Review order');
    expect(page.body).toContain('/assets/client-order.js');
  });

  it('splits the live price: www, mail, owa and autodiscover of the CN are UC SANs, other names additional domains', async () => {
    const res = await quote({
      tariffId: String(tariff.id),
      years: '5',
      cn: 'example.com',
      sans: 'www.example.com\nmail.example.com, owa.example.com autodiscover.example.com\ntest.example.com\nexample.org',
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.rows).toEqual([
      expect.objectContaining({
        kind: 'base',
        label: 'Certificate, 5 years',
        count: 1,
        amount: '100.00 USD',
      }),
      expect.objectContaining({
        kind: 'uc-san',
        label: 'Additional UC SANs domains',
        count: 4,
        amount: '0.00 USD',
      }),
      expect.objectContaining({
        kind: 'additional-domain',
        label: 'Additional domains',
        count: 2,
        amount: '40.00 USD',
      }),
    ]);
    expect(body.total).toBe('140.00 USD');
    expect(body.names.find((n: { name: string }) => n.name === 'mail.example.com').addon).toBe('uc-san');
  });

  it('refuses 101 extra names in the live price with the message of the domain rules', async () => {
    const sans = Array.from({ length: 101 }, (_, i) => `n${i}.example.com`).join('\n');
    const res = await quote({ tariffId: String(tariff.id), years: '1', cn: 'example.com', sans });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'DOMAIN_TOO_MANY_NAMES', field: 'sans' });
    expect(res.json().error.message).toContain('at most 100 additional names; got 101');
  });

  it('renders the same price split on the confirmation step without JavaScript, with the CA approver list', async () => {
    const res = await postForm(
      app,
      '/client/order/confirm',
      orderFields({ cn: 'example.com', sans: 'www.example.com\ntest.example.com', dcvMethod: 'email' }),
      me,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/Additional UC SANs domains<\/th>\s*<td class="num price-count">1<\/td>/);
    expect(res.body).toMatch(/Additional domains<\/th>\s*<td class="num price-count">1<\/td>/);
    expect(res.body).toContain('<td class="num" id="price-total">120.00 USD</td>');
    expect(res.body).toContain('<label for="approverEmail">Approver address</label>');
    expect(res.body).toMatch(/<option value="[^"]+@example\.com"/);
    expect(res.body).toContain('>Order</button>');
    expect(res.body).toContain('name="idempotencyKey"');
  });

  it('orders with a generated key once even when the form is sent twice, and opens the service page', async () => {
    const before = await ledgerCount();
    const fields = orderFields();
    const first = await postForm(app, '/client/order', fields, me);
    expect(first.statusCode, first.body).toBe(303);
    const again = await postForm(app, '/client/order', fields, me);
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await ledgerCount()).toBe(before + 1);
    const service = await getPage(app, first.headers.location as string, me);
    expect(service.body).toContain('This order was already placed');
    expect(service.body).toContain('shop.example.com');
    const serviceId = Number(String(first.headers.location).split('/').at(-1));
    const row = await ctx.db.kysely
      .selectFrom('services')
      .select(['client_id', 'price_total_minor', 'generate_key'])
      .where('id', '=', serviceId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ client_id: clientId, generate_key: 1 });
    expect(Number(row.price_total_minor)).toBe(12000);
  });

  it('shows the private key once when the client chose not to save it', async () => {
    const res = await postForm(
      app,
      '/client/order',
      orderFields({ doNotSaveKey: '1', years: '1', sans: '' }),
      me,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('-----BEGIN PRIVATE KEY-----');
    expect(res.body).toContain('certbill keeps no copy');
  });

  it('says how much is missing when the balance is short, keeping what was typed', async () => {
    const poor = await createClientLogin(ctx);
    await creditAccount(ctx, {
      clientId: poor.clientId,
      amount: '10.00',
      idempotencyKey: uniqueKey('credit'),
    });
    const login = await loginAs(app, poor);
    const res = await postForm(
      app,
      '/client/order',
      orderFields({ years: '1', sans: '', cn: 'poor.example.com' }),
      login,
    );
    expect(res.statusCode).toBe(402);
    expect(res.body).toContain('Insufficient balance');
    expect(res.body).toContain('add 20.00 USD');
    expect(res.body).toContain('value="poor.example.com"');
  });

  it('decodes a pasted CSR: CN, SANs and key, and offers its CN when none is typed', async () => {
    const csr = await makeTestCsr('csr.example.com', { sans: ['csr.example.com', 'www.csr.example.com'] });
    const res = await app.inject({
      method: 'POST',
      url: '/client/order/csr',
      headers: { cookie: me.cookie, 'x-csrf-token': me.csrf },
      payload: { csr, cn: '' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      commonName: 'csr.example.com',
      names: ['csr.example.com', 'www.csr.example.com'],
      key: 'ECDSA P-256',
      cnTyped: false,
    });
  });

  it('refuses a weak, a malformed and a mismatched CSR with the reason', async () => {
    const send = (csr: string, cn: string) =>
      app.inject({
        method: 'POST',
        url: '/client/order/csr',
        headers: { cookie: me.cookie, 'x-csrf-token': me.csrf },
        payload: { csr, cn },
      });
    const weak = await send(await makeTestCsr('weak.example.com', { key: 'rsa1024' }), 'weak.example.com');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ code: 'PROVISIONING_CSR_WEAK_KEY', field: 'csr' });
    expect(weak.json().error.message).toContain('1024-bit RSA key');
    const junk = await send('not a request', 'x.example.com');
    expect(junk.json().error.code).toBe('PROVISIONING_CSR_UNREADABLE');
    const other = await send(await makeTestCsr('other.example.com'), 'mine.example.com');
    expect(other.json().error.code).toBe('PROVISIONING_CSR_CN_MISMATCH');
    const noToken = await app.inject({
      method: 'POST',
      url: '/client/order/csr',
      headers: { cookie: me.cookie },
      payload: { csr: 'x', cn: '' },
    });
    expect(noToken.statusCode).toBe(403);
  });

  it('shows a malformed CSR error on the form next to the pasted text, and charges nothing', async () => {
    const before = await ledgerCount();
    const res = await postForm(
      app,
      '/client/order/confirm',
      orderFields({
        keyMode: 'existing',
        csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
      }),
      me,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="csr-error"');
    expect(res.body).toContain('The CSR cannot be decoded');
    expect(res.body).toContain('AAAA');
    const weak = await postForm(
      app,
      '/client/order',
      orderFields({ keyMode: 'existing', csr: await makeTestCsr('shop.example.com', { key: 'rsa1024' }) }),
      me,
    );
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('RSA keys need at least 2048 bits');
    expect(await ledgerCount()).toBe(before);
  });

  it('orders with an existing CSR through the confirmation step', async () => {
    const csr = await makeTestCsr('own.example.com');
    const confirm = await postForm(
      app,
      '/client/order/confirm',
      orderFields({ cn: 'own.example.com', sans: '', keyMode: 'existing', csr }),
      me,
    );
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Existing request: own.example.com, ECDSA P-256');
    const placed = await postForm(
      app,
      '/client/order',
      orderFields({ cn: 'own.example.com', sans: '', keyMode: 'existing', csr }),
      me,
    );
    expect(placed.statusCode, placed.body).toBe(303);
  });

  it('asks for organization data for an OV tariff and shows which field is missing', async () => {
    const ov = await ctx.make.tariff({ name: 'OrganizationSSL', product: 'OV' });
    const res = await postForm(
      app,
      '/client/order/confirm',
      orderFields({ tariffId: String(ov.id), 'organization.name': 'Example Ltd' }),
      me,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Organization data: organization.address is missing.');
    expect(res.body).toContain('value="Example Ltd"');
    expect(res.body).toMatch(/id="org-2-error"/);
  });
});
