import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../ca-simulator/control/fault-injector.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { updateProcessingModule } from '../../src/provisioning/update-processing-module.ts';
import { SIM_PASSWORD, SIM_USER } from '../contract/provisioning-test-context.ts';
import { ORGANIZATION } from '../support/organization-details.ts';
import { testDialects } from '../support/databases.ts';
import {
  createLifecycleTestContext,
  placements,
  type LifecycleTestContext,
} from './lifecycle-test-context.ts';

describe.each(testDialects())('lifecycle faults on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  async function paidService(cn: string, moduleId: number, opts: { product?: 'OV' } = {}): Promise<number> {
    const client = await ctx.make.client({ balance: '1000.00' });
    const tariff = await ctx.make.tariff({
      moduleIds: [moduleId],
      ...(opts.product ? { product: opts.product } : {}),
    });
    const order = await ctx.make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn,
      dcv: 'dns',
      ...(opts.product ? { organization: ORGANIZATION } : {}),
    });
    return order.serviceId;
  }

  /** Publishes the TXT record the CA asked for and runs jobs until the service is active. */
  async function validateDns(serviceId: number, cn: string): Promise<string> {
    const instructions = (await ctx.show(serviceId)).validation?.instructions;
    if (instructions?.method !== 'dns') throw new Error(`no DNS instructions for service ${serviceId}`);
    await ctx.control('dns', { name: cn, txt: [instructions.value] });
    return (await ctx.settle(serviceId, 'active')).status;
  }

  /** Faults the SOAP call that follows the next DecodeCSR: the order call of an HTTP or DNS placement. */
  function faultOrderCall(rule: FaultRule): void {
    const calls = ctx.sim.calls;
    const add = calls.add.bind(calls);
    let armed = true;
    calls.add = (call) => {
      add(call);
      if (armed && call.operation === 'DecodeCSR') {
        armed = false;
        ctx.sim.faults.add(rule);
      }
    };
  }

  async function orderCount(cn: string): Promise<number> {
    return placements(await ctx.calls()).filter((c) => c.fqdn === cn).length;
  }

  it('holds the order with a task while the module cannot log in, and proceeds once the password is right again', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    await ctx.control('accounts', { user: SIM_USER, password: 'rotated-at-the-ca' });
    const cn = 'login.faults.example.com';
    const serviceId = await paidService(cn, moduleId);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('ordered');
    const [task] = (await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'order-held');
    expect(task?.related).toBe(`service:${serviceId}`);
    expect(task?.body).toMatch(/log|password|4001/i);

    await ctx.control('accounts', { user: SIM_USER, password: SIM_PASSWORD });
    ctx.advance(61_000);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
    expect((await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'order-held')).toEqual([]);
    expect(await validateDns(serviceId, cn)).toBe('active');
    expect(await orderCount(cn)).toBe(1);
  });

  it('holds the order with a task while the CA refuses this host address, and proceeds once it is allow-listed', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: ['10.0.0.0/8'] });
    const cn = 'ip.faults.example.com';
    const serviceId = await paidService(cn, moduleId);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('ordered');
    const held = (await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'order-held');
    expect(held.map((t) => t.related)).toEqual([`service:${serviceId}`]);
    expect(held[0]?.body).toMatch(/IP|address|4201/i);
    expect(await orderCount(cn)).toBe(0);

    await ctx.control(`accounts/${SIM_USER}/allow-ip`, { allowIps: ['127.0.0.1'] });
    ctx.advance(61_000);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
    expect(await validateDns(serviceId, cn)).toBe('active');
    expect(await orderCount(cn)).toBe(1);
  });

  it.each([{ kind: 'http500' as const }, { kind: 'http503' as const }, { kind: 'soapfault' as const }])(
    'retries a placement answered with $kind later and places exactly one CA order',
    async ({ kind }) => {
      ctx = await createLifecycleTestContext(dialect);
      const moduleId = await ctx.addModule();
      const cn = `${kind}.faults.example.com`;
      const serviceId = await paidService(cn, moduleId);
      faultOrderCall({ kind, count: 1 });
      await ctx.runJobs();
      expect((await ctx.show(serviceId)).status).toBe('ordered');
      const calls = (await ctx.control('calls')) as { calls: Array<{ operation: string; fault?: string }> };
      expect(calls.calls.some((c) => c.operation === 'DVDNSOrder' && c.fault === kind)).toBe(true);
      // Not at once: the next attempt waits (job backoff or a hold), then succeeds.
      expect((await ctx.runJobs()).filter((r) => r.kind === 'place-order')).toEqual([]);
      ctx.advance(3 * 60_000);
      await ctx.runJobs();
      expect((await ctx.show(serviceId)).status).toBe('in_progress');
      expect(await validateDns(serviceId, cn)).toBe('active');
      expect(await orderCount(cn)).toBe(1);
    },
  );

  it('adopts the order placed by a call that timed out after the module read timeout instead of placing a second one', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    await updateProcessingModule(ctx, moduleId, { readTimeout: 1 });
    const cn = 'timeout.faults.example.com';
    const serviceId = await paidService(cn, moduleId);
    faultOrderCall({ kind: 'latency', ms: 2_500, count: 1 });
    const started = performance.now();
    const first = await ctx.runJobs();
    const placing = first.find((r) => r.kind === 'place-order');
    expect(placing?.outcome).toBe('retry');
    expect(placing?.error).toMatch(/TIMEOUT.*within 1000 ms/);
    expect(performance.now() - started).toBeLessThan(2_400);
    // The CA performed the order after the delay, although its answer came too late.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await orderCount(cn)).toBe(1);
    expect((await ctx.show(serviceId)).status).toBe('ordered');

    for (let i = 0; i < 5 && (await ctx.show(serviceId)).status === 'ordered'; i++) {
      ctx.advance(3 * 60_000);
      await ctx.runJobs();
    }
    const [generation] = await listGenerations(ctx.db.kysely, serviceId);
    const placed = placements(await ctx.calls()).filter((c) => c.fqdn === cn);
    expect(placed).toHaveLength(1);
    expect(generation?.caOrderId).toBe(placed[0]?.orderId);
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
  });

  it('times a poll out after the module read timeout, as a fault the job retries, and issues once the CA answers in time', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const cn = 'slow-poll.faults.example.com';
    const serviceId = await paidService(cn, moduleId);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
    await updateProcessingModule(ctx, moduleId, { readTimeout: 1 });
    // Every try of the query (the client asks three times) answers after 1.5 s.
    await ctx.control('faults', { kind: 'latency', ms: 1_500, count: 3 });
    ctx.advance(61_000);
    const started = performance.now();
    const polled = (await ctx.runJobs()).find((r) => r.kind === 'poll-order');
    const elapsed = performance.now() - started;
    expect(polled?.outcome).toBe('retry');
    expect(polled?.error).toMatch(/TIMEOUT.*within 1000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect((await ctx.show(serviceId)).status).toBe('in_progress');

    await ctx.control('faults', {}, 'DELETE');
    expect(await validateDns(serviceId, cn)).toBe('active');
    expect(await orderCount(cn)).toBe(1);
  });

  it('fails an OV order with a task naming the missing organization, before anything reaches the CA', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const cn = 'ov.faults.example.com';
    const serviceId = await paidService(cn, moduleId, { product: 'OV' });
    // A service recorded before orders had to carry the organization: the lifecycle still refuses it.
    await ctx.db.kysely
      .updateTable('services')
      .set({ organization: null })
      .where('id', '=', serviceId)
      .execute();
    await ctx.runJobs();
    const view = await ctx.show(serviceId);
    expect(view.status).toBe('failed');
    expect(view.validation?.lastError).toMatch(/organization/i);
    const tasks = await listTasks(ctx.db, { state: 'open' });
    expect(tasks.filter((t) => t.kind === 'certificate-failed').map((t) => t.related)).toEqual([
      `service:${serviceId}`,
    ]);
    expect(await orderCount(cn)).toBe(0);
  });
});
