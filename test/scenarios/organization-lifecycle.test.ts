import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.ts';
import { EXTENDED_VALIDATION, ORGANIZATION } from '../support/organization-details.ts';
import {
  createLifecycleTestContext,
  placements,
  type LifecycleTestContext,
} from './lifecycle-test-context.ts';

describe.each(testDialects())('OV and EV services on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  async function vetToActive(product: 'OV' | 'EV', cn: string, extended: boolean) {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const client = await ctx.make.client({ balance: '1000.00' });
    const tariff = await ctx.make.tariff({ product, moduleIds: [moduleId] });
    const order = await ctx.make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn,
      organization: ORGANIZATION,
      ...(extended ? { extendedValidation: EXTENDED_VALIDATION } : {}),
    });
    await ctx.runJobs();
    const vetting = await ctx.show(order.serviceId);
    expect(vetting.status).toBe('in_progress');
    expect(vetting.caOrderId).toMatch(/^CE/);
    await ctx.control(`orders/${vetting.caOrderId}/approve`, {});
    const active = await ctx.settle(order.serviceId, 'active');
    expect(active).toMatchObject({ status: 'active', caOrderId: vetting.caOrderId });
    return placements(await ctx.calls());
  }

  it('places an OV order with the organization and becomes active once the CA has vetted it', async () => {
    const placed = await vetToActive('OV', 'ov.example.com', false);
    expect(placed.map((c) => c.operation)).toEqual(['OVOrder']);
  });

  it('places an EV order with its parties and jurisdiction and becomes active once the CA has vetted it', async () => {
    const placed = await vetToActive('EV', 'ev.example.com', true);
    expect(placed.map((c) => c.operation)).toEqual(['EVOrder']);
  });
});
