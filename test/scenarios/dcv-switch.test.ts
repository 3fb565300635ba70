import { afterEach, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/billing/api-token-repository.ts';
import { showAccount } from '../../src/billing/index.ts';
import { buildApp } from '../../src/http/build-app.ts';
import { serviceCertificateRoutes } from '../../src/http/routes/service-certificates.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import type { LifecycleStep } from '../../src/provisioning/lifecycle/lifecycle-context.ts';
import { switchValidationMethod } from '../../src/provisioning/lifecycle/switch-validation-method.ts';
import { testDialects } from '../support/databases.ts';
import {
  createLifecycleTestContext,
  placements,
  startFileServer,
  type LifecycleTestContext,
} from './lifecycle-test-context.ts';

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
  readonly status: number;
}

/** GlobalSign's order statuses that are no longer live: cancelled (3, 5), revoked (6, 7). */
const DEAD_STATUSES = [3, 5, 6, 7];

describe.each(testDialects())('switching the validation method of a pending order on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  async function ordersFor(cn: string): Promise<SimOrder[]> {
    const all = ((await ctx.control('orders')) as { orders: SimOrder[] }).orders;
    return all.filter((o) => o.fqdn === cn);
  }

  async function liveOrders(cn: string): Promise<SimOrder[]> {
    return (await ordersFor(cn)).filter((o) => !DEAD_STATUSES.includes(Number(o.status)));
  }

  async function emailService(cn: string): Promise<{ serviceId: number; clientId: number }> {
    const moduleId = await ctx.addModule();
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    const order = await ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, dcv: 'email' });
    await ctx.runJobs();
    expect((await ctx.show(order.serviceId)).validation?.instructions?.method).toBe('email');
    return { serviceId: order.serviceId, clientId: client.id };
  }

  it('cancels the e-mail order, orders again by HTTP, and becomes active once the file is published, with one live CA order and one charge', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const web = await startFileServer();
    try {
      const cn = 'switch-http.example.com';
      const { serviceId, clientId } = await emailService(cn);
      const balanceBefore = (await showAccount(ctx, clientId)).balance.amountMinor;
      const [first] = await ordersFor(cn);

      const switched = await switchValidationMethod(ctx, { serviceId, method: 'http' });
      expect(switched).toMatchObject({
        how: 'reorder',
        state: 'done',
        from: { method: 'email', caOrderId: first?.orderId },
        to: { method: 'http' },
      });
      expect(await liveOrders(cn)).toEqual([]);

      await ctx.runJobs();
      const waiting = await ctx.show(serviceId);
      expect(waiting.status).toBe('in_progress');
      const instructions = waiting.validation?.instructions;
      if (instructions?.method !== 'http') throw new Error('no HTTP instructions after the switch');
      await ctx.control('hosts', { host: cn, address: `127.0.0.1:${web.port}` });
      web.files.set(`${cn}${instructions.path}`, instructions.content);

      const active = await ctx.settle(serviceId, 'active');
      expect(active.status).toBe('active');
      const live = await liveOrders(cn);
      expect(live).toHaveLength(1);
      expect(active.caOrderId).toBe(live[0]?.orderId);
      expect(active.caOrderId).not.toBe(first?.orderId);
      expect(
        placements(await ctx.calls())
          .filter((c) => c.fqdn === cn)
          .map((c) => c.operation),
      ).toEqual(['DVOrder', 'URLVerification']);
      // The replaced order stays in the service's history.
      const generations = await listGenerations(ctx.db.kysely, serviceId);
      expect(generations.map((g) => [g.state, g.caOrderId])).toEqual([
        ['failed', first?.orderId],
        ['issued', active.caOrderId],
      ]);
      expect(generations[0]?.lastError).toMatch(/switched from email to http/);
      expect((await showAccount(ctx, clientId)).balance.amountMinor).toBe(balanceBefore);
      expect(
        (await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'certificate-failed'),
      ).toEqual([]);

      await expect(switchValidationMethod(ctx, { serviceId, method: 'dns' })).rejects.toMatchObject({
        code: 'LIFECYCLE_DCV_SWITCH_REFUSED',
        message: expect.stringMatching(/is active and its certificate is issued/),
      });
      expect(await liveOrders(cn)).toHaveLength(1);
    } finally {
      await web.close();
    }
  });

  it.each(['switch-requested', 'switch-cancelled', 'switch-reordered'] as const)(
    'finishes a switch interrupted after %s, without failing the service or ordering twice',
    async (step) => {
      let crashAt: LifecycleStep | null = step;
      ctx = await createLifecycleTestContext(dialect, {
        onStep: (step) => {
          if (step === crashAt) {
            crashAt = null;
            throw new Error(`process died after ${step}`);
          }
        },
      });
      const cn = 'switch-crash.example.com';
      const { serviceId } = await emailService(cn);
      await expect(switchValidationMethod(ctx, { serviceId, method: 'dns' })).rejects.toThrow(/process died/);
      expect(await liveOrders(cn)).toHaveLength(step === 'switch-requested' ? 1 : 0);

      // The old order's poll sees it cancelled; the recorded switch, not a rejection, explains that.
      ctx.advance(5 * 60_000);
      await ctx.runJobs();
      const waiting = await ctx.show(serviceId);
      expect(waiting.status).toBe('in_progress');
      const instructions = waiting.validation?.instructions;
      if (instructions?.method !== 'dns') throw new Error('no DNS instructions after the switch');
      await ctx.control('dns', { name: cn, txt: [instructions.value] });
      expect((await ctx.settle(serviceId, 'active')).status).toBe('active');
      expect(await liveOrders(cn)).toHaveLength(1);
      expect(placements(await ctx.calls()).filter((c) => c.fqdn === cn)).toHaveLength(2);
      expect(
        (await listTasks(ctx.db, { state: 'open' })).filter((t) => t.related === `service:${serviceId}`),
      ).toEqual([]);
    },
  );

  it('refuses an approver the CA does not offer before anything is cancelled', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const cn = 'switch-approver.example.com';
    const { serviceId } = await emailService(cn);
    await switchValidationMethod(ctx, { serviceId, method: 'dns' });
    await ctx.runJobs();
    await expect(
      switchValidationMethod(ctx, { serviceId, method: 'email', approverEmail: 'someone@elsewhere.example' }),
    ).rejects.toMatchObject({ code: 'LIFECYCLE_DCV_ACTION_INVALID', message: /approver list/ });
    const live = await liveOrders(cn);
    expect(live).toHaveLength(1);
    expect((await ctx.show(serviceId)).validation?.instructions?.method).toBe('dns');

    const back = await switchValidationMethod(ctx, {
      serviceId,
      method: 'email',
      approverEmail: `hostmaster@${cn}`,
    });
    expect(back).toMatchObject({ how: 'reorder', state: 'done', to: { approverEmail: `hostmaster@${cn}` } });
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).validation?.instructions).toEqual({
      method: 'email',
      approverEmail: `hostmaster@${cn}`,
    });
    expect(await liveOrders(cn)).toHaveLength(1);
  });

  it('switches through the API for the client who owns the service, and answers 409 once it is active', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const cn = 'switch-api.example.com';
    const { serviceId, clientId } = await emailService(cn);
    const app = await buildApp(ctx, [serviceCertificateRoutes]);
    try {
      const stranger = await ctx.make.client({ balance: '1.00' });
      const token = async (id: number) =>
        (await createApiToken(ctx, { scope: { kind: 'client', clientId: id } })).token;
      const post = async (id: number) =>
        app.inject({
          method: 'POST',
          url: `/api/services/${serviceId}/dcv/switch`,
          headers: { authorization: `Bearer ${await token(id)}` },
          payload: { method: 'dns' },
        });
      expect((await post(stranger.id)).statusCode).toBe(404);
      expect(await liveOrders(cn)).toHaveLength(1);
      const switched = await post(clientId);
      expect(switched.statusCode).toBe(200);
      expect(switched.json()).toMatchObject({ how: 'reorder', state: 'done', to: { method: 'dns' } });

      await ctx.runJobs();
      const instructions = (await ctx.show(serviceId)).validation?.instructions;
      if (instructions?.method !== 'dns') throw new Error('no DNS instructions after the switch');
      await ctx.control('dns', { name: cn, txt: [instructions.value] });
      expect((await ctx.settle(serviceId, 'active')).status).toBe('active');
      const refused = await post(clientId);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('LIFECYCLE_DCV_SWITCH_REFUSED');
    } finally {
      await app.close();
    }
  });
});
