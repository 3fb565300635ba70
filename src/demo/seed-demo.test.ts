import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { testDialects } from '../../test/support/databases.ts';
import { listTariffs, showAccount } from '../billing/index.ts';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import { getProcessingModule } from '../provisioning/module-repository.ts';
import { seedDemo } from './seed-demo.ts';

describe.each(testDialects())('demo seed on %s', (dialect) => {
  let ctx: TestContext;
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, user: 'PAR_demo', password: 'demo-pass', autoApprove: true });
    ctx = await createTestContext(dialect, { provisioningSettings: { demoBaseUrl: sim.baseUrl } });
  });
  afterAll(async () => {
    await ctx.drop();
    await sim.close();
  });

  it('creates a tariff per GlobalSign product with both addons and a funded demo client', async () => {
    const seed = await seedDemo(ctx, { username: 'PAR_demo', password: 'demo-pass' });
    expect(seed).not.toBeNull();
    const module = await getProcessingModule(ctx, seed!.moduleId!);
    expect(module).toMatchObject({ name: 'GlobalSign (Demo)', kind: 'globalsign', demo: true });
    const tariffs = await listTariffs(ctx.db.kysely);
    expect(tariffs.map((t) => t.product)).toEqual(['DV_LOW', 'DV', 'OV', 'EV']);
    for (const t of tariffs) {
      expect(t.modules.map((m) => m.moduleId)).toEqual([seed!.moduleId]);
      expect(t.prices.map((p) => p.years)).toEqual([1, 2, 3, 4, 5]);
      expect(t.addons.map((a) => a.label).sort()).toEqual([
        'Additional UC SANs domains',
        'Additional domains',
      ]);
    }
    const account = await showAccount(ctx, seed!.clientId);
    expect(account.balance).toEqual({ amountMinor: 50000, currency: 'USD' });
    expect(seed!.adminToken).toMatch(/^cb_/);
    expect(seed!.clientToken).not.toBe(seed!.adminToken);
  });

  it('seeds nothing once any tariff exists, so restarts and real installations are left alone', async () => {
    expect(await seedDemo(ctx, { username: 'PAR_demo', password: 'demo-pass' })).toBeNull();
    expect(await listTariffs(ctx.db.kysely)).toHaveLength(4);
  });
});
