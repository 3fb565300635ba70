import { afterEach, describe, expect, it } from 'vitest';
import {
  createLifecycleTestContext,
  type LifecycleTestContext,
} from '../../test/scenarios/lifecycle-test-context.ts';
import { testDialects } from '../../test/support/databases.ts';
import { updateSslProductSettings } from '../billing/product-settings.ts';
import { listGenerations } from '../provisioning/lifecycle/generation-repository.ts';
import { registerSubscriptionJobs } from './register-subscription-jobs.ts';
import { scanDueReissues } from './scan-due-reissues.ts';

const DAY_MS = 86_400_000;

async function activeService(ctx: LifecycleTestContext, cn: string): Promise<number> {
  const moduleId = await ctx.addModule();
  const client = await ctx.make.client({ balance: '5000.00' });
  const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
  const order = await ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, years: 5, dcv: 'dns' });
  await ctx.runJobs();
  const instructions = (await ctx.show(order.serviceId)).validation?.instructions;
  if (instructions?.method !== 'dns') throw new Error('no DNS instructions');
  await ctx.control('dns', { name: cn, txt: [instructions.value] });
  expect((await ctx.settle(order.serviceId, 'active')).status).toBe('active');
  return order.serviceId;
}

async function current(ctx: LifecycleTestContext, serviceId: number) {
  return (await listGenerations(ctx.db.kysely, serviceId)).filter((g) => g.state === 'issued').at(-1)!;
}

describe.each(testDialects())('planning the reissue triggers again on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  it('moves the trigger of current certificates when the panel changes the policy or the days before, and the view follows', async () => {
    ctx = await createLifecycleTestContext(dialect);
    registerSubscriptionJobs(ctx.handlers, { modules: ctx.modules, lifecycle: ctx.lifecycle ?? {} });
    const serviceId = await activeService(ctx, 'replan.example.com');
    const cert = await current(ctx, serviceId);
    const notAfter = new Date(cert.notAfter!).getTime();
    expect(new Date(cert.reissueAt!).getTime()).toBe(notAfter - 10 * DAY_MS);
    // The first scan records what the triggers are planned with; nothing moves.
    await scanDueReissues(ctx);
    expect((await current(ctx, serviceId)).reissueAt).toBe(cert.reissueAt);
    expect((await scanDueReissues(ctx)).replanned).toBe(0);

    await updateSslProductSettings(ctx, { before: 30 });
    expect((await scanDueReissues(ctx)).replanned).toBe(1);
    const moved = await current(ctx, serviceId);
    expect(new Date(moved.reissueAt!).getTime()).toBe(notAfter - 30 * DAY_MS);
    expect((await ctx.show(serviceId)).nextReissueAt).toBe(moved.reissueAt);

    await updateSslProductSettings(ctx, { policy: 'none' });
    await scanDueReissues(ctx);
    expect((await current(ctx, serviceId)).reissueAt).toBeNull();
    expect((await ctx.show(serviceId)).nextReissueAt).toBeNull();
    // Past the old trigger nothing happens under `none`.
    ctx.advance(notAfter - 5 * DAY_MS - ctx.clock.now().getTime());
    await scanDueReissues(ctx);
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);

    // Back to auto: the trigger (now in the past) is planned again and the scan acts on it.
    await updateSslProductSettings(ctx, { policy: 'auto' });
    const scan = await scanDueReissues(ctx);
    expect(scan.replanned).toBe(1);
    expect(scan.reissued).toEqual([serviceId]);
  });

  it('plans again at start when etc/certbill.conf overrides what the triggers were planned with', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const serviceId = await activeService(ctx, 'conf.example.com');
    await scanDueReissues(ctx);
    const notAfter = new Date((await current(ctx, serviceId)).notAfter!).getTime();
    // A restart with `SSLSubscriptionBefore 50` in the configuration file.
    const restarted = {
      ...ctx,
      subscriptionOverride: { before: { value: 50, source: 'etc/certbill.conf:3' } },
    };
    expect((await scanDueReissues(restarted)).replanned).toBe(1);
    expect(new Date((await current(ctx, serviceId)).reissueAt!).getTime()).toBe(notAfter - 50 * DAY_MS);
    // The next start with the same file changes nothing; without it, the panel's 10 days again.
    expect((await scanDueReissues(restarted)).replanned).toBe(0);
    expect((await scanDueReissues(ctx)).replanned).toBe(1);
    expect(new Date((await current(ctx, serviceId)).reissueAt!).getTime()).toBe(notAfter - 10 * DAY_MS);
  });
});
