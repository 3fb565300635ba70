import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../../../test/contract/provisioning-test-context.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { addClient } from '../../billing/add-client.ts';
import { createApiToken } from '../../billing/api-token-repository.ts';
import { buildApp, type App } from '../build-app.ts';
import { createModuleRoutes } from './modules.ts';

describe.each(testDialects())('the processing module API on %s', (dialect) => {
  let ctx: ProvisioningTestContext;
  let app: App;
  let admin: string;
  let clientToken: string;

  beforeAll(async () => {
    ctx = await createProvisioningTestContext(dialect);
    app = await buildApp(ctx, [
      createModuleRoutes({ modules: ctx.modules, settings: ctx.provisioningSettings }),
    ]);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
    const client = await addClient(ctx, { name: 'Client', email: 'client@example.com' });
    clientToken = (await createApiToken(ctx, { scope: { kind: 'client', clientId: client.id } })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  function call(method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: object) {
    return app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  }

  const body = (extra: object = {}) => ({
    kind: 'globalsign',
    username: SIM_USER,
    password: SIM_PASSWORD,
    demo: true,
    sourceAddress: 'none',
    name: `GS api ${Math.random().toString(36).slice(2, 8)}`,
    ...extra,
  });

  it('answers only admin tokens', async () => {
    expect((await call('GET', '/api/admin/modules', null)).statusCode).toBe(401);
    const forbidden = await call('GET', '/api/admin/module-wizard', clientToken);
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('BILLING_FORBIDDEN');
  });

  it('describes the wizard with the seed labels and this host’s IP addresses', async () => {
    const res = await call('GET', '/api/admin/module-wizard', admin);
    expect(res.statusCode).toBe(200);
    const wizard = res.json();
    expect(wizard.steps.map((s: { title: string }) => s.title)).toContain('Configuring integration');
    expect(wizard.steps[2].fields.map((f: { label: string }) => f.label)).toEqual([
      'Username',
      'Password',
      'Demo',
      'IP address',
    ]);
    expect(wizard.ipAddresses).toContain('127.0.0.1');
    expect(wizard.kinds[0].kind).toBe('globalsign');
  });

  it('adds a module after the check, shows it without the password, edits, checks and reads its balance', async () => {
    const created = await call('POST', '/api/admin/modules', admin, body({ minBalance: '100.00' }));
    expect(created.statusCode).toBe(201);
    const module = created.json();
    expect(module).toMatchObject({ kind: 'globalsign', balance: { amountMinor: 100000, currency: 'USD' } });
    expect(created.body).not.toContain(SIM_PASSWORD);
    expect(module).not.toHaveProperty('password');

    const shown = await call('GET', `/api/admin/modules/${module.id}`, admin);
    expect(shown.json()).toMatchObject({ id: module.id, balanceReadAt: ctx.clock.now().toISOString() });
    expect(shown.body).not.toContain(SIM_PASSWORD);
    expect(
      (await call('GET', '/api/admin/modules', admin)).json().modules.map((m: { id: number }) => m.id),
    ).toContain(module.id);

    const patched = await call('PATCH', `/api/admin/modules/${module.id}`, admin, {
      enabled: false,
      sort: 4,
    });
    expect(patched.json()).toMatchObject({ enabled: false, sort: 4 });

    const checked = await call('POST', `/api/admin/modules/${module.id}/check`, admin);
    expect(checked.json()).toMatchObject({ ok: true, balance: { currency: 'USD' } });

    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '99.99' });
    const balance = await call('POST', `/api/admin/modules/${module.id}/balance`, admin);
    expect(balance.json()).toMatchObject({
      balance: { amountMinor: 9999, currency: 'USD' },
      belowMinimum: true,
      crossedBelowMinimum: true,
    });
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '1000.00' });
  });

  it('answers a failed check with 502, the message, the cause and the hints, and saves nothing', async () => {
    const name = 'GS api refused';
    const res = await call('POST', '/api/admin/modules', admin, body({ name, password: 'Zq9-not-it' }));
    expect(res.statusCode).toBe(502);
    const { error } = res.json();
    expect(error.code).toBe('PROVISIONING_CONNECTION_FAILED');
    expect(error.message.split('\n')[0]).toBe('Cannot connect to the processing module');
    expect(error.details.cause.kind).toBe('login-refused');
    expect(error.details.hints).toHaveLength(3);
    expect(res.body).not.toContain('Zq9-not-it');
    const names = (await call('GET', '/api/admin/modules', admin))
      .json()
      .modules.map((m: { name: string }) => m.name);
    expect(names).not.toContain(name);
  });

  it('refuses an unknown field and an unknown module', async () => {
    expect((await call('POST', '/api/admin/modules', admin, body({ colour: 'red' }))).statusCode).toBe(400);
    const missing = await call('GET', '/api/admin/modules/999999', admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('PROVISIONING_MODULE_NOT_FOUND');
  });
});
