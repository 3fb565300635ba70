import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/app.ts';
import { builders, uniqueEmail, uniqueKey } from '../../../../test/support/builders.ts';
import { testDialects } from '../../../../test/support/databases.ts';
import { createApiToken, revokeApiToken } from '../../../billing/api-token-repository.ts';
import type { Client } from '../../../billing/client-repository.ts';
import { setServiceStatus } from '../../../billing/set-service-status.ts';
import { startPaidPeriod } from '../../../billing/start-paid-period.ts';
import type { Tariff } from '../../../billing/tariff-repository.ts';
import { buildApp, type App } from '../../build-app.ts';
import { billingRoutes } from './index.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe.each(testDialects())('the billing API on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let make: ReturnType<typeof builders>;
  let admin: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, [billingRoutes]);
    make = builders(ctx);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  function call(method: Method, url: string, token: string | null, payload?: object, key?: string) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (key) headers['idempotency-key'] = key;
    return app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  }

  async function clientToken(client: Client): Promise<string> {
    return (await createApiToken(ctx, { scope: { kind: 'client', clientId: client.id } })).token;
  }

  function orderBody(tariff: Tariff, extra: object = {}) {
    return {
      tariffId: tariff.id,
      years: 5,
      cn: 'example.com',
      sans: ['www.example.com', 'test.example.com'],
      ...extra,
    };
  }

  it('refuses a request without a token, with an unknown one and with a revoked one', async () => {
    expect((await call('GET', '/api/tariffs', null)).json().error.code).toBe('BILLING_TOKEN_MISSING');
    const unknown = await call('GET', '/api/tariffs', 'cb_nope');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('BILLING_TOKEN_INVALID');
    const created = await createApiToken(ctx, { scope: { kind: 'admin' }, label: 'old' });
    expect((await call('GET', '/api/tariffs', created.token)).statusCode).toBe(200);
    await revokeApiToken(ctx, created.id);
    expect((await call('GET', '/api/tariffs', created.token)).statusCode).toBe(401);
  });

  it('lets an admin set up a client, credit it, sell it a multi-domain certificate and show the service', async () => {
    const client = await call('POST', '/api/clients', admin, { name: 'Example Ltd', email: uniqueEmail() });
    expect(client.statusCode).toBe(201);
    const clientId = client.json().id as number;

    const noKey = await call('POST', `/api/clients/${clientId}/account/credits`, admin, { amount: '150.00' });
    expect(noKey.statusCode).toBe(400);
    const credit = await call(
      'POST',
      `/api/clients/${clientId}/account/credits`,
      admin,
      { amount: '150.00' },
      uniqueKey(),
    );
    expect(credit.statusCode).toBe(200);
    expect(credit.json().balance).toEqual({ amountMinor: 15_000, currency: 'USD' });

    const tariff = await call('POST', '/api/tariffs', admin, {
      name: 'DomainSSL',
      product: 'DV',
      currency: 'USD',
      prices: [
        { years: 1, amount: '30.00' },
        { years: 5, amount: '100.00' },
      ],
      ucSanAddon: { price: '0.00' },
      domainAddon: { price: '20.00' },
      moduleIds: [1],
    });
    expect(tariff.statusCode).toBe(201);
    const tariffId = tariff.json().id as number;

    const quote = await call('POST', '/api/quotes', admin, orderBody({ id: tariffId } as Tariff));
    expect(quote.json().total).toEqual({ amountMinor: 12_000, currency: 'USD' });

    const key = uniqueKey();
    const order = await call(
      'POST',
      '/api/orders',
      admin,
      orderBody({ id: tariffId } as Tariff, { clientId, dcv: 'dns' }),
      key,
    );
    expect(order.statusCode).toBe(201);
    expect(order.json()).toMatchObject({
      charged: { amountMinor: 12_000, currency: 'USD' },
      replayed: false,
    });
    const serviceId = order.json().serviceId as number;

    const replay = await call(
      'POST',
      '/api/orders',
      admin,
      orderBody({ id: tariffId } as Tariff, { clientId, dcv: 'dns' }),
      key,
    );
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({ serviceId, replayed: true });
    const reused = await call(
      'POST',
      '/api/orders',
      admin,
      orderBody({ id: tariffId } as Tariff, { clientId, years: 1 }),
      key,
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.code).toBe('BILLING_IDEMPOTENCY_KEY_REUSED');

    const service = await call('GET', `/api/services/${serviceId}`, admin);
    expect(service.json()).toMatchObject({
      id: serviceId,
      status: 'ordered',
      commonName: 'example.com',
      names: [
        { name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
        { name: 'test.example.com', addon: 'additional-domain', sanOptionType: 2 },
      ],
      dcv: { method: 'dns', email: null },
      paidUntil: null,
      paidUntilShown: null,
      expirationDate: null,
      caOrderId: null,
      nextReissueAt: null,
    });
    const account = await call('GET', `/api/clients/${clientId}/account`, admin);
    expect(account.json().balance.amountMinor).toBe(3_000);
    expect(account.json().entries.map((e: { kind: string }) => e.kind)).toEqual(['credit', 'charge']);
  });

  it('answers an order the balance does not cover with 402 and the missing amount', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '50.00' });
    const res = await call('POST', '/api/orders', await clientToken(client), orderBody(tariff), uniqueKey());
    expect(res.statusCode).toBe(402);
    expect(res.json().error).toMatchObject({
      code: 'BILLING_INSUFFICIENT_BALANCE',
      message: 'Insufficient balance: the order costs 120.00 USD, the balance is 50.00 USD; add 70.00 USD.',
    });
  });

  it('answers bad order input with 400 and a stable code', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '500.00' });
    const token = await clientToken(client);
    const sans = Array.from({ length: 101 }, (_, i) => `n${i}.example.com`);
    const tooMany = await call('POST', '/api/orders', token, orderBody(tariff, { sans }), uniqueKey());
    expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([400, 'DOMAIN_TOO_MANY_NAMES']);
    const badYears = await call('POST', '/api/orders', token, orderBody(tariff, { years: 3 }), uniqueKey());
    expect([badYears.statusCode, badYears.json().error.code]).toEqual([400, 'BILLING_PERIOD_NOT_SOLD']);
    const noTariff = await call(
      'POST',
      '/api/orders',
      token,
      { ...orderBody(tariff), tariffId: 999_999 },
      uniqueKey(),
    );
    expect([noTariff.statusCode, noTariff.json().error.code]).toEqual([404, 'BILLING_TARIFF_NOT_FOUND']);
    const adminWithoutClient = await call('POST', '/api/orders', admin, orderBody(tariff), uniqueKey());
    expect(adminWithoutClient.statusCode).toBe(400);
  });

  it('charges once when the same order is posted concurrently with one key', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '130.00' });
    const token = await clientToken(client);
    const key = uniqueKey();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/api/orders', token, orderBody(tariff), key)),
    );
    expect(new Set(results.map((r) => r.json().serviceId)).size).toBe(1);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const account = await call('GET', `/api/clients/${client.id}/account`, token);
    expect(account.json().balance.amountMinor).toBe(1_000);
  });

  it('lets a client cancel its own service with a refund and renew an issued one', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '400.00' });
    const token = await clientToken(client);
    const first = (await call('POST', '/api/orders', token, orderBody(tariff), uniqueKey())).json()
      .serviceId as number;
    const cancel = await call('POST', `/api/services/${first}/cancel`, token, undefined, uniqueKey());
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({ status: 'cancelled', refunded: { amountMinor: 12_000 } });

    const second = (await call('POST', '/api/orders', token, orderBody(tariff), uniqueKey())).json()
      .serviceId as number;
    await startPaidPeriod(ctx, second, ctx.clock.now());
    await setServiceStatus(ctx, { serviceId: second, from: ['ordered'], to: 'active' });
    const shown = await call('GET', `/api/services/${second}`, token);
    expect(shown.json().paidUntilShown).toBe('2031-04-02');
    const renew = await call('POST', `/api/services/${second}/renew`, token, {}, uniqueKey());
    expect(renew.statusCode).toBe(201);
    expect(renew.json()).toMatchObject({ previousServiceId: second, charged: { amountMinor: 12_000 } });
    const list = await call('GET', '/api/services', token);
    expect(list.json().services.map((s: { id: number }) => s.id)).toEqual([
      renew.json().serviceId,
      second,
      first,
    ]);
  });

  it('lets an admin read and set the Subscription block, and create tokens for automation', async () => {
    const settings = await call('PUT', '/api/product-types/ssl/subscription', admin, {
      policy: 'manual',
      before: 15,
    });
    expect(settings.json().subscription).toMatchObject({
      policy: { value: 'manual', source: 'panel' },
      before: { value: 15 },
    });
    const bad = await call('PUT', '/api/product-types/ssl/subscription', admin, { before: 300 });
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'DOMAIN_INVALID_BEFORE_DAYS']);
    await call('PUT', '/api/product-types/ssl/subscription', admin, { policy: 'auto', before: 10 });

    const client = await make.client();
    const created = await call('POST', '/api/tokens', admin, {
      scope: `client:${client.id}`,
      label: 'deploy',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().token).toMatch(/^cb_/);
    const own = await call('GET', `/api/clients/${client.id}`, created.json().token);
    expect(own.json().id).toBe(client.id);
    const listed = await call('GET', '/api/tokens', admin);
    expect(JSON.stringify(listed.json())).not.toContain(created.json().token);
  });

  describe('a client token', () => {
    let alice: Client;
    let bob: Client;
    let aliceToken: string;
    let bobServiceId: number;
    let tariff: Tariff;
    let inactive: Tariff;

    beforeAll(async () => {
      tariff = await make.tariff();
      inactive = await make.tariff({ active: false });
      alice = await make.client({ balance: '500.00' });
      bob = await make.client({ balance: '500.00' });
      aliceToken = await clientToken(alice);
      bobServiceId = (await make.order({ clientId: bob.id, tariffId: tariff.id })).serviceId;
    });

    it.each<[Method, string, object?]>([
      ['POST', '/api/departments', { name: 'X' }],
      ['GET', '/api/departments'],
      ['POST', '/api/staff-users', { email: 'x@example.com', name: 'X' }],
      ['GET', '/api/staff-users'],
      ['POST', '/api/clients', { name: 'X', email: 'x@example.com' }],
      ['GET', '/api/clients'],
      ['POST', '/api/clients/:alice/account/credits', { amount: '1000.00' }],
      ['POST', '/api/clients/:alice/account/adjustments', { amount: '1000.00', note: 'gift' }],
      ['GET', '/api/product-types/ssl'],
      ['PUT', '/api/product-types/ssl/subscription', { policy: 'none' }],
      [
        'POST',
        '/api/tariffs',
        { name: 'X', product: 'DV', currency: 'USD', prices: [{ years: 1, amount: '1.00' }] },
      ],
      ['PATCH', '/api/tariffs/:tariff', { active: false }],
      ['PUT', '/api/tariffs/:tariff/prices/1', { amount: '0.01' }],
      ['POST', '/api/tokens', { scope: 'admin' }],
      ['GET', '/api/tokens'],
      ['DELETE', '/api/tokens/1'],
    ])('is refused with 403 on the admin route %s %s', async (method, path, payload) => {
      const url = path.replace(':alice', String(alice.id)).replace(':tariff', String(tariff.id));
      const res = await call(method, url, aliceToken, payload, uniqueKey());
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('BILLING_FORBIDDEN');
    });

    it.each<[Method, string, object?]>([
      ['GET', '/api/clients/:bob'],
      ['POST', '/api/clients/:bob/users', { email: 'intruder@example.com', name: 'X' }],
      ['GET', '/api/clients/:bob/account'],
      ['GET', '/api/services/:service'],
      ['POST', '/api/services/:service/cancel'],
      ['POST', '/api/services/:service/renew', {}],
      ['POST', '/api/orders', { clientId: 0, tariffId: 0, years: 1, cn: 'example.com' }],
      ['GET', '/api/tariffs/:inactive'],
    ])("answers 404 for another client's things on %s %s", async (method, path, payload) => {
      const url = path
        .replace(':bob', String(bob.id))
        .replace(':service', String(bobServiceId))
        .replace(':inactive', String(inactive.id));
      const body =
        payload && 'clientId' in payload ? { ...payload, clientId: bob.id, tariffId: tariff.id } : payload;
      const res = await call(method, url, aliceToken, body, uniqueKey());
      expect(res.statusCode).toBe(404);
    });

    it("lists only its own services, even when it asks for another client's", async () => {
      const own = (await make.order({ clientId: alice.id, tariffId: tariff.id })).serviceId;
      const mine = await call('GET', '/api/services', aliceToken);
      expect(mine.json().services.map((s: { id: number }) => s.id)).toEqual([own]);
      const theirs = await call('GET', `/api/services?clientId=${bob.id}`, aliceToken);
      expect(theirs.json().services).toEqual([]);
      const tariffs = await call('GET', '/api/tariffs', aliceToken);
      expect(tariffs.json().tariffs.map((t: { id: number }) => t.id)).not.toContain(inactive.id);
    });

    it("leaves the other client's balance and services untouched", async () => {
      const account = await call('GET', `/api/clients/${bob.id}/account`, admin);
      expect(account.json().balance.amountMinor).toBe(50_000 - 3_000);
      expect((await call('GET', `/api/services/${bobServiceId}`, admin)).json().status).toBe('ordered');
    });
  });

  it('documents every billing route in OpenAPI with a tag and a summary', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    const routes = Object.entries(
      doc.paths as Record<string, Record<string, { tags?: string[]; summary?: string }>>,
    )
      .filter(([path]) => path.startsWith('/api/') && !path.startsWith('/api/docs'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    expect(routes.length).toBeGreaterThanOrEqual(24);
    for (const { op } of routes) {
      expect(op.tags?.length).toBeGreaterThan(0);
      expect(op.summary).toBeTruthy();
    }
  });
});
