import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createProvisioningTestContext,
  FOREIGN_ADDRESS,
  SIM_PASSWORD,
  SIM_USER,
  simulatorCallCount,
  type ProvisioningTestContext,
} from '../../test/contract/provisioning-test-context.ts';
import { testDialects } from '../../test/support/databases.ts';
import { GLOBALSIGN_ENDPOINTS } from '../modules/globalsign/globalsign-client.ts';
import { addProcessingModule, type AddProcessingModuleInput } from './add-processing-module.ts';
import { checkProcessingModule } from './check-processing-module.ts';
import { CONNECTION_HINTS } from './connection-failure.ts';
import { describeModuleWizard } from './describe-module-wizard.ts';
import {
  getProcessingModule,
  listProcessingModules,
  passwordAad,
  provisioningKysely,
} from './module-repository.ts';
import { endpointOf, openProcessingModule } from './open-processing-module.ts';
import { refreshModuleBalance } from './refresh-module-balance.ts';
import { updateProcessingModule } from './update-processing-module.ts';

let seq = 0;
function input(extra: Partial<AddProcessingModuleInput> = {}): AddProcessingModuleInput {
  seq += 1;
  return {
    kind: 'globalsign',
    username: SIM_USER,
    password: SIM_PASSWORD,
    demo: true,
    sourceAddress: '127.0.0.1',
    name: `GlobalSign ${seq}`,
    sort: 5,
    ...extra,
  };
}

interface Failure {
  code: string;
  message: string;
  details: {
    field?: string;
    hints?: string[];
    cause: { kind: string; caCodes: readonly string[]; message: string };
  };
}

async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (e) {
    return e as Failure;
  }
  throw new Error('expected a failure');
}

describe.each(testDialects())('processing modules on %s', (dialect) => {
  let ctx: ProvisioningTestContext;

  beforeAll(async () => {
    ctx = await createProvisioningTestContext(dialect);
  });
  afterAll(async () => {
    await ctx.close();
  });
  afterEach(async () => {
    await ctx.control('faults', undefined, 'DELETE');
    await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: [] });
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '1000.00' });
  });

  async function moduleCount(): Promise<number> {
    return (await listProcessingModules(ctx)).length;
  }

  it('describes the wizard with the steps, field labels, IP choices and module kinds of the seed', async () => {
    await ctx.db.kysely
      .insertInto('departments')
      .values({ name: 'SSL desk', email: null, created_at: '2026-01-01T00:00:00Z' })
      .execute();
    const wizard = await describeModuleWizard(ctx);
    expect(wizard.steps.map((s) => s.title)).toEqual([
      'Product type',
      'Processing module',
      'Configuring integration',
      'Parameters of the service processing module',
      'Check connection',
    ]);
    expect(wizard.steps[0]!.fields[0]!.choices).toEqual([{ value: 'ssl', label: 'SSL certificates' }]);
    expect(wizard.steps[1]!.fields[0]!.choices).toEqual([{ value: 'globalsign', label: 'GlobalSign' }]);
    expect(wizard.steps[2]!.fields.map((f) => f.label)).toEqual([
      'Username',
      'Password',
      'Demo',
      'IP address',
    ]);
    expect(wizard.steps[3]!.fields.map((f) => f.label)).toEqual([
      'Name',
      'Department',
      'Sort',
      'Processing module minimal balance',
    ]);
    expect(wizard.steps[2]!.fields[3]!.choices!.map((c) => c.value)).toEqual([
      'none',
      '127.0.0.1',
      FOREIGN_ADDRESS,
    ]);
    expect(wizard.steps[3]!.fields[1]!.choices!.map((c) => c.label)).toContain('SSL desk');
    expect(wizard.kinds).toEqual([{ kind: 'globalsign', title: 'GlobalSign', productType: 'ssl' }]);
    expect(wizard.failure).toEqual({
      message: 'Cannot connect to the processing module',
      hints: [...CONNECTION_HINTS],
    });
  });

  it('saves a module only after the check passed, with the password sealed and the balance read', async () => {
    await ctx.db.kysely
      .insertInto('departments')
      .values({ name: 'Certificates', email: null, created_at: '2026-01-01T00:00:00Z' })
      .execute();
    const { module, check } = await addProcessingModule(
      ctx,
      input({ department: 'Certificates', minBalance: '500.00' }),
    );
    expect(check.balance).toMatchObject({ amountMinor: 100000, currency: 'USD' });
    expect(module).toMatchObject({
      kind: 'globalsign',
      productType: 'ssl',
      username: SIM_USER,
      demo: true,
      sourceAddress: '127.0.0.1',
      department: { name: 'Certificates' },
      sort: 5,
      minBalance: { amountMinor: 50000, currency: 'USD' },
      enabled: true,
      balance: { amountMinor: 100000, currency: 'USD' },
      balanceReadAt: ctx.clock.now().toISOString(),
      balanceBelowMinimum: false,
    });
    expect(JSON.stringify(module)).not.toContain(SIM_PASSWORD);
    const row = await provisioningKysely(ctx.db.kysely)
      .selectFrom('processing_modules')
      .selectAll()
      .where('id', '=', module.id)
      .executeTakeFirstOrThrow();
    expect(row.password_sealed).not.toContain(SIM_PASSWORD);
    expect(ctx.secrets.open(row.password_sealed, passwordAad(module.id))).toBe(SIM_PASSWORD);
    expect(() => ctx.secrets.open(row.password_sealed, passwordAad(module.id + 1))).toThrow();
  });

  it('refuses unusable fields before calling the CA, naming the field', async () => {
    const calls = await simulatorCallCount(ctx);
    const before = await moduleCount();
    const cases: [Partial<AddProcessingModuleInput>, string, string][] = [
      [{ name: ' ' }, 'PROVISIONING_INVALID_SETTINGS', 'name'],
      [{ username: '' }, 'PROVISIONING_INVALID_SETTINGS', 'username'],
      [{ password: '' }, 'PROVISIONING_INVALID_SETTINGS', 'password'],
      [{ sourceAddress: '10.1.2.3' }, 'PROVISIONING_INVALID_SETTINGS', 'sourceAddress'],
      [{ sourceAddress: 'my-host' }, 'PROVISIONING_INVALID_SETTINGS', 'sourceAddress'],
      [{ url: 'ftp://ca.example.com/' }, 'PROVISIONING_INVALID_SETTINGS', 'url'],
      [{ sort: -1 }, 'PROVISIONING_INVALID_SETTINGS', 'sort'],
      [{ minBalance: '-5' }, 'PROVISIONING_INVALID_SETTINGS', 'minBalance'],
      [{ department: 'Nobody' }, 'PROVISIONING_DEPARTMENT_NOT_FOUND', 'department'],
      [{ productType: 'domains' }, 'PROVISIONING_INVALID_SETTINGS', 'productType'],
      [{ connectTimeout: 0 }, 'PROVISIONING_INVALID_SETTINGS', 'connectTimeout'],
      [{ readTimeout: '1.5' }, 'PROVISIONING_INVALID_SETTINGS', 'readTimeout'],
      [{ readTimeout: 601 }, 'PROVISIONING_INVALID_SETTINGS', 'readTimeout'],
    ];
    for (const [extra, code, field] of cases) {
      const e = await failure(addProcessingModule(ctx, input(extra)));
      expect({ code: e.code, field: e.details.field }, JSON.stringify(extra)).toEqual({ code, field });
    }
    expect((await failure(addProcessingModule(ctx, input({ kind: 'digicert' })))).code).toBe(
      'PROVISIONING_MODULE_KIND_UNKNOWN',
    );
    expect(await simulatorCallCount(ctx)).toBe(calls);
    expect(await moduleCount()).toBe(before);
  });

  it('says "Cannot connect to the processing module" with the three hints and the refused login, and saves nothing', async () => {
    const before = await moduleCount();
    const e = await failure(addProcessingModule(ctx, input({ password: 'Zq9-not-it' })));
    expect(e.code).toBe('PROVISIONING_CONNECTION_FAILED');
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('Cannot connect to the processing module');
    expect(lines.slice(1, 4)).toEqual([
      '- make sure the connection parameters are correct;',
      '- check that the URL of the Certification Authority is reachable from this server;',
      "- make sure API calls from this server's IP address are allowed in the Certification Authority client area.",
    ]);
    expect(lines[4]).toMatch(/^Cause: the Certification Authority refused the login.*\(-4001\)\.$/);
    expect(e.details.hints).toEqual([...CONNECTION_HINTS]);
    expect(e.details.cause).toMatchObject({ kind: 'login-refused', caCodes: ['-4001'] });
    expect(JSON.stringify(e.details)).not.toContain('Zq9-not-it');
    expect(e.message).not.toContain('Zq9-not-it');
    expect(await moduleCount()).toBe(before);
  });

  it('names an IP address the CA does not allow as the cause', async () => {
    await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: ['192.0.2.200'] });
    const e = await failure(addProcessingModule(ctx, input()));
    expect(e.details.cause).toMatchObject({ kind: 'ip-not-allowed', caCodes: ['-4201'] });
  });

  it('names a timeout as the cause', async () => {
    await ctx.control('faults', { kind: 'latency', ms: 4_000, count: 1 });
    const e = await failure(addProcessingModule(ctx, input()));
    expect(e.details.cause.kind).toBe('timeout');
  });

  it("checks the connection with the module's own read timeout, stores it, and keeps the defaults when none is set", async () => {
    await ctx.control('faults', { kind: 'latency', ms: 1_800, count: 1 });
    // The installation's check allows 2 s; the module's own 1 s wins.
    const e = await failure(addProcessingModule(ctx, input({ readTimeout: 1 })));
    expect(e.details.cause.kind).toBe('timeout');
    expect(e.details.cause.message).toMatch(/within 1000 ms/);
    await ctx.control('faults', {}, 'DELETE');
    const added = await addProcessingModule(ctx, input({ connectTimeout: '5', readTimeout: 20 }));
    expect(added.module).toMatchObject({ connectTimeoutSeconds: 5, readTimeoutSeconds: 20 });
    const plain = await addProcessingModule(ctx, input());
    expect(plain.module).toMatchObject({ connectTimeoutSeconds: 10, readTimeoutSeconds: 60 });
    const edited = await updateProcessingModule(ctx, added.module.id, { readTimeout: null });
    expect(edited).toMatchObject({ rechecked: false, module: { readTimeoutSeconds: 60 } });
  });

  it('names a refused connection, a failed TLS handshake and an unusable source address as the cause', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await failure(
      addProcessingModule(ctx, input({ url: `http://127.0.0.1:${port}/kb/ws/v1/` })),
    );
    expect(refused.details.cause.kind).toBe('connection-refused');

    const tls = await failure(
      addProcessingModule(ctx, input({ url: ctx.sim.baseUrl.replace('http:', 'https:') })),
    );
    expect(tls.details.cause.kind).toBe('tls');

    const source = await failure(addProcessingModule(ctx, input({ sourceAddress: FOREIGN_ADDRESS })));
    expect(source.details.cause.kind).toBe('source-address');
  });

  it('keeps several GlobalSign accounts as separate modules, each under its own name', async () => {
    await ctx.control('accounts', {
      user: 'PAR99999_second',
      password: 'second-secret',
      balance: '250.00',
      currency: 'EUR',
    });
    const first = await addProcessingModule(ctx, input({ name: 'GlobalSign main' }));
    const second = await addProcessingModule(
      ctx,
      input({ name: 'GlobalSign reseller', username: 'PAR99999_second', password: 'second-secret' }),
    );
    expect(second.module.balance).toEqual({ amountMinor: 25000, currency: 'EUR' });
    expect(first.module.balance).toEqual({ amountMinor: 100000, currency: 'USD' });
    const dup = await failure(addProcessingModule(ctx, input({ name: 'GlobalSign main' })));
    expect(dup.code).toBe('PROVISIONING_MODULE_NAME_TAKEN');
    const m = await openProcessingModule(ctx, second.module.id);
    try {
      expect((await m.balance({})).currency).toBe('EUR');
    } finally {
      m.close();
    }
  });

  it('points Demo at the configured demo CA, a module URL anywhere, and no Demo at production', () => {
    const kind = ctx.modules.get('globalsign');
    expect(endpointOf(kind, { demo: true, url: null }, { demoBaseUrl: 'http://127.0.0.1:1/kb/ws/v1/' })).toBe(
      'http://127.0.0.1:1/kb/ws/v1/',
    );
    expect(endpointOf(kind, { demo: true, url: null }, {})).toBe(GLOBALSIGN_ENDPOINTS.test);
    expect(endpointOf(kind, { demo: false, url: null }, { demoBaseUrl: 'http://127.0.0.1:1/' })).toBe(
      GLOBALSIGN_ENDPOINTS.production,
    );
    expect(endpointOf(kind, { demo: false, url: 'http://127.0.0.1:2/kb/ws/v1/' }, {})).toBe(
      'http://127.0.0.1:2/kb/ws/v1/',
    );
  });

  it('saves a module whose URL points at the CA without Demo', async () => {
    const { module } = await addProcessingModule(
      ctx,
      input({ demo: false, url: ctx.sim.baseUrl, sourceAddress: 'none' }),
    );
    expect(module).toMatchObject({ demo: false, url: ctx.sim.baseUrl, sourceAddress: null });
  });

  it('edits names, sort and the enabled switch without a check, and re-checks new credentials before saving them', async () => {
    const { module } = await addProcessingModule(ctx, input());
    const calls = await simulatorCallCount(ctx);
    const renamed = await updateProcessingModule(ctx, module.id, {
      name: `${module.name} (old)`,
      sort: 9,
      enabled: false,
    });
    expect(renamed).toMatchObject({ rechecked: false, module: { sort: 9, enabled: false } });
    expect(await simulatorCallCount(ctx)).toBe(calls);

    const refused = await failure(updateProcessingModule(ctx, module.id, { password: 'not-it' }));
    expect(refused.code).toBe('PROVISIONING_CONNECTION_FAILED');
    const stillWorks = await checkProcessingModule(ctx, module.id);
    expect(stillWorks.check.balance?.currency).toBe('USD');

    await ctx.control('accounts', { user: SIM_USER, password: 'rotated-secret' });
    expect((await failure(checkProcessingModule(ctx, module.id))).code).toBe(
      'PROVISIONING_CONNECTION_FAILED',
    );
    const rotated = await updateProcessingModule(ctx, module.id, { password: 'rotated-secret' });
    expect(rotated.rechecked).toBe(true);
    expect((await checkProcessingModule(ctx, module.id)).module.lastCheckAt).toBe(
      ctx.clock.now().toISOString(),
    );
    await ctx.control('accounts', { user: SIM_USER, password: SIM_PASSWORD });
    await updateProcessingModule(ctx, module.id, { password: SIM_PASSWORD });
  });

  it('lists modules lowest Sort first and shows one without its password', async () => {
    const low = await addProcessingModule(ctx, input({ sort: 0 }));
    const list = await listProcessingModules(ctx);
    expect(list[0]!.id).toBe(low.module.id);
    const sorts = list.map((m) => m.sort);
    expect([...sorts].sort((a, b) => a - b)).toEqual(sorts);
    expect(JSON.stringify(await getProcessingModule(ctx, low.module.id))).not.toContain('password');
    expect((await failure(getProcessingModule(ctx, 987654))).code).toBe('PROVISIONING_MODULE_NOT_FOUND');
  });

  it('stores the balance read now and signals a fall below the minimal balance once per crossing', async () => {
    const { module } = await addProcessingModule(ctx, input({ minBalance: '500.00' }));
    ctx.clock.advanceMs(60_000);
    const first = await refreshModuleBalance(ctx, module.id);
    expect(first).toMatchObject({
      balance: { amountMinor: 100000, currency: 'USD' },
      readAt: ctx.clock.now().toISOString(),
      belowMinimum: false,
      crossedBelowMinimum: false,
      recoveredAboveMinimum: false,
    });

    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '120.50' });
    const fell = await refreshModuleBalance(ctx, module.id);
    expect(fell).toMatchObject({
      balance: { amountMinor: 12050 },
      belowMinimum: true,
      crossedBelowMinimum: true,
    });
    const again = await refreshModuleBalance(ctx, module.id);
    expect(again).toMatchObject({ belowMinimum: true, crossedBelowMinimum: false });
    expect((await getProcessingModule(ctx, module.id)).balanceBelowMinimum).toBe(true);

    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '900.00' });
    expect(await refreshModuleBalance(ctx, module.id)).toMatchObject({
      belowMinimum: false,
      recoveredAboveMinimum: true,
    });
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '10.00' });
    expect(await refreshModuleBalance(ctx, module.id)).toMatchObject({ crossedBelowMinimum: true });
  });

  it('signals a module that starts below its minimal balance on its first refresh', async () => {
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '100.00' });
    const { module } = await addProcessingModule(ctx, input({ minBalance: '200' }));
    expect(module.balanceBelowMinimum).toBe(true);
    expect(await refreshModuleBalance(ctx, module.id)).toMatchObject({ crossedBelowMinimum: true });
  });
});
