import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLifecycleTestContext,
  type LifecycleTestContext,
} from '../../test/scenarios/lifecycle-test-context.ts';
import { testDialects } from '../../test/support/databases.ts';
import { parseTimeWindow } from '../core/config/time-window.ts';
import * as subscriptionsMigration from '../db/migrations/006-subscriptions.ts';
import { listJobs } from '../jobs/job-queue.ts';
import { listGenerations } from '../provisioning/lifecycle/generation-repository.ts';
import { registerSubscriptionJobs } from './register-subscription-jobs.ts';
import { reissueNow } from './reissue-now.ts';
import { scanDueReissues } from './scan-due-reissues.ts';

async function createContext(dialect: 'sqlite' | 'postgres'): Promise<LifecycleTestContext> {
  const ctx = await createLifecycleTestContext(dialect);
  await subscriptionsMigration.up(ctx.db.kysely as unknown as Kysely<unknown>);
  registerSubscriptionJobs(ctx.handlers, { modules: ctx.modules, lifecycle: ctx.lifecycle ?? {} });
  await ctx.control('accounts/PAR12345_api/balance', { balance: '100000.00' });
  return ctx;
}

async function activeService(ctx: LifecycleTestContext, cn: string, moduleId: number): Promise<number> {
  const client = await ctx.make.client({ balance: '5000.00' });
  const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
  const order = await ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, years: 5, dcv: 'dns' });
  await ctx.runJobs();
  const instructions = (await ctx.show(order.serviceId)).validation?.instructions;
  if (instructions?.method !== 'dns')
    throw new Error(`no DNS instructions: ${JSON.stringify(await ctx.show(order.serviceId))}`);
  await ctx.control('dns', { name: cn, txt: [instructions.value] });
  expect((await ctx.settle(order.serviceId, 'active')).status).toBe('active');
  return order.serviceId;
}

function moveTo(ctx: LifecycleTestContext, instant: string): void {
  ctx.advance(new Date(instant).getTime() - ctx.clock.now().getTime());
}

async function reissueJobs(ctx: LifecycleTestContext): Promise<string[]> {
  return (await listJobs(ctx.db, { kind: 'reissue' })).map((j) => j.key);
}

describe.each(testDialects())('the reissue scan on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  it('decides one reissue per certificate when two workers scan at the same instant', async () => {
    ctx = await createContext(dialect);
    const moduleId = await ctx.addModule();
    const a = await activeService(ctx, 'race-a.example.com', moduleId);
    const b = await activeService(ctx, 'race-b.example.com', moduleId);
    moveTo(ctx, '2026-10-10T00:00:00Z');
    const [one, two] = await Promise.all([scanDueReissues(ctx), scanDueReissues(ctx)]);
    expect([...one.reissued, ...two.reissued].sort()).toEqual([a, b].sort());
    expect([...one.skipped, ...two.skipped].sort()).toEqual([a, b].sort());
    expect((await reissueJobs(ctx)).sort()).toEqual([`reissue:${a}:2`, `reissue:${b}:2`].sort());
    const again = await scanDueReissues(ctx);
    expect(again).toMatchObject({ reissued: [], skipped: [] });
    for (const id of [a, b]) {
      expect((await listGenerations(ctx.db.kysely, id)).map((g) => [g.seq, g.kind, g.state])).toEqual([
        [1, 'new', 'issued'],
        [2, 'reissue', 'intent'],
      ]);
    }
  });

  it('defers automatic reissues outside the window and over the hourly cap, but not within 24 hours of expiry', async () => {
    ctx = await createContext(dialect);
    const moduleId = await ctx.addModule();
    const a = await activeService(ctx, 'window-a.example.com', moduleId);
    const b = await activeService(ctx, 'window-b.example.com', moduleId);
    const windowed = Object.assign(Object.create(null) as object, ctx, {
      config: { ...ctx.config, reissueWindow: parseTimeWindow('01:00-02:00'), reissuePerHour: 1 },
    }) as LifecycleTestContext;
    moveTo(ctx, '2026-10-10T12:00:00Z');
    const outside = await scanDueReissues(windowed);
    expect(outside.reissued).toEqual([]);
    expect(outside.deferred.map((d) => d.reason)).toEqual(['window', 'window']);
    moveTo(ctx, '2026-10-11T01:30:00Z');
    const inside = await scanDueReissues(windowed);
    expect(inside.reissued).toHaveLength(1);
    expect(inside.deferred).toEqual([{ serviceId: inside.reissued[0] === a ? b : a, reason: 'cap' }]);
    // The other certificate ends 2026-10-19 ~12:01; within 24 hours of it neither bound holds it back.
    moveTo(ctx, '2026-10-18T13:00:00Z');
    const urgent = await scanDueReissues(windowed);
    expect(urgent.reissued).toEqual([inside.reissued[0] === a ? b : a]);
  });

  it('reissues now only services without a reissue in progress, lists them on a dry run, and decides once when called twice at once', async () => {
    ctx = await createContext(dialect);
    const moduleId = await ctx.addModule();
    const a = await activeService(ctx, 'now-a.example.com', moduleId);
    const b = await activeService(ctx, 'now-b.example.com', moduleId);
    const dry = await reissueNow(ctx, { allActive: true, dryRun: true });
    expect(dry.services.map((s) => [s.serviceId, s.action])).toEqual([
      [a, 'would-reissue'],
      [b, 'would-reissue'],
    ]);
    expect(await reissueJobs(ctx)).toEqual([]);
    const [first, second] = await Promise.all([
      reissueNow(ctx, { serviceIds: [a] }),
      reissueNow(ctx, { serviceIds: [a] }),
    ]);
    const actions = [...first.services, ...second.services].map((s) => s.action).sort();
    expect(actions).toEqual(['reissue', 'skipped']);
    const third = await reissueNow(ctx, { serviceIds: [a, b], moduleId });
    expect(third.services.find((s) => s.serviceId === a)).toMatchObject({ action: 'skipped' });
    expect(third.services.find((s) => s.serviceId === a)?.reason).toMatch(/already in progress/);
    expect(third.services.find((s) => s.serviceId === b)).toMatchObject({ action: 'reissue', seq: 2 });
    await ctx.runJobs();
    await ctx.runJobs();
    const generations = await listGenerations(ctx.db.kysely, a);
    expect(generations.map((g) => [g.seq, g.state])).toEqual([
      [1, 'superseded'],
      [2, 'issued'],
    ]);
    expect(generations[1]?.caOrderId).not.toBe(generations[0]?.caOrderId);
    expect(generations[1]?.keyHeld).toBe(true);
  });
});
