import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/app.ts';
import { builders } from '../../../../test/support/builders.ts';
import { testDialects } from '../../../../test/support/databases.ts';
import { createApiToken } from '../../../billing/api-token-repository.ts';
import { setServiceStatus } from '../../../billing/set-service-status.ts';
import { buildApp, type App } from '../../build-app.ts';
import { billingRoutes } from './index.ts';

describe.each(testDialects())('editing tariffs and retrying services through the API on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, [billingRoutes]);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  const call = (method: 'PUT' | 'DELETE' | 'POST', url: string, token: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });

  it('edits a tariff, sets and removes an addon, and refuses a client token', async () => {
    const tariff = await builders(ctx).tariff({ ucSanAddon: null });
    const edited = await call('PUT', `/api/tariffs/${tariff.id}`, admin, {
      name: 'DomainSSL 2026',
      prices: [
        { years: 1, amount: '35.00' },
        { years: 2, amount: '60.00' },
      ],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ name: 'DomainSSL 2026', prices: [{ years: 1 }, { years: 2 }] });
    const addon = await call('PUT', `/api/tariffs/${tariff.id}/addons/uc-san`, admin, {
      price: [
        { years: 1, amount: '1.00' },
        { years: 2, amount: '2.00' },
      ],
    });
    expect(addon.statusCode).toBe(200);
    expect(addon.json().addons.map((a: { label: string }) => a.label)).toEqual([
      'Additional UC SANs domains',
      'Additional domains',
    ]);
    const short = await call('PUT', `/api/tariffs/${tariff.id}/addons/additional-domain`, admin, {
      price: [
        { years: 1, amount: '1.00' },
        { years: 3, amount: '1.00' },
      ],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.message).toContain('missing 2');
    const removed = await call('DELETE', `/api/tariffs/${tariff.id}/addons/uc-san`, admin);
    expect(removed.json().addons.map((a: { kind: string }) => a.kind)).toEqual(['additional-domain']);

    const client = await builders(ctx).client();
    const token = (await createApiToken(ctx, { scope: { kind: 'client', clientId: client.id } })).token;
    expect((await call('PUT', `/api/tariffs/${tariff.id}`, token, { name: 'x' })).statusCode).toBe(403);
  });

  it('retries a failed service and refuses one that is not failed', async () => {
    const make = builders(ctx);
    const client = await make.client({ balance: '100.00' });
    const tariff = await make.tariff();
    const { serviceId } = await make.order({ clientId: client.id, tariffId: tariff.id });
    const refused = await call('POST', `/api/services/${serviceId}/retry`, admin);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('LIFECYCLE_RETRY_REFUSED');
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'failed' });
    const retried = await call('POST', `/api/services/${serviceId}/retry`, admin);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ serviceId, seq: 1, closedTaskIds: [] });
  });
});
