import { afterEach, describe, expect, it } from 'vitest';
import { cancelService } from '../../src/billing/cancel-service.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { runDcvAction } from '../../src/provisioning/lifecycle/run-dcv-action.ts';
import { testDialects } from '../support/databases.ts';
import { createLifecycleTestContext, type LifecycleTestContext } from './lifecycle-test-context.ts';

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
  readonly status: number;
  readonly approverEmail: string | null;
}

describe.each(testDialects())('actions on a pending certificate order on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  async function simOrder(orderId: string): Promise<SimOrder> {
    return (await ctx.control(`orders/${orderId}`)) as SimOrder;
  }

  async function paidService(cn: string, dcv: string, moduleIds: number[]) {
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds });
    return ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, dcv });
  }

  it('resends the approval e-mail and moves it to another address of the list, and the approval there activates the service', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const cn = 'approver.actions.example.com';
    const { serviceId } = await paidService(cn, 'email', [moduleId]);
    await ctx.runJobs();
    const caOrderId = (await ctx.show(serviceId)).validation?.caOrderId ?? '';

    expect((await runDcvAction(ctx, { serviceId, resend: true })).outcome).toBe('pending');
    await runDcvAction(ctx, { serviceId, approverEmail: `Webmaster@${cn}` });
    expect((await simOrder(caOrderId)).approverEmail).toBe(`webmaster@${cn}`);
    const operations = (await ctx.calls()).map((c) => c.operation);
    expect(operations).toEqual(expect.arrayContaining(['ResendEmail', 'ChangeApproverEmail']));
    await expect(runDcvAction(ctx, { serviceId, check: false })).rejects.toMatchObject({
      code: 'LIFECYCLE_DCV_ACTION_INVALID',
    });

    await ctx.control(`orders/${caOrderId}/approve`, {});
    expect((await runDcvAction(ctx, { serviceId, check: true })).outcome).toBe('issued');
    expect((await ctx.show(serviceId)).status).toBe('active');
    await expect(runDcvAction(ctx, { serviceId, resend: true })).rejects.toMatchObject({
      code: 'LIFECYCLE_NO_PENDING_VALIDATION',
    });
  });

  it('passes over a module under its minimal balance for the next one by Sort, without holding the order', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const poor = await ctx.addModule({ name: 'poor', sort: 1, minBalance: '5000.00' });
    const next = await ctx.addModule({ name: 'next', sort: 2 });
    const { serviceId } = await paidService('balance.actions.example.com', 'dns', [poor, next]);
    await ctx.runJobs();
    const [generation] = await listGenerations(ctx.db.kysely, serviceId);
    expect(generation).toMatchObject({ moduleId: next, state: 'awaiting_validation' });
    expect((await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'order-held')).toEqual([]);
  });

  it('cancels the pending CA order when the service is cancelled, and places nothing more', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const { serviceId } = await paidService('cancel.actions.example.com', 'dns', [moduleId]);
    await ctx.runJobs();
    const caOrderId = (await ctx.show(serviceId)).validation?.caOrderId ?? '';
    expect((await simOrder(caOrderId)).status).toBe(1);

    await cancelService(ctx.billing, { serviceId, idempotencyKey: `cancel-${serviceId}` });
    await ctx.runJobs();
    expect((await simOrder(caOrderId)).status).toBe(3);
    const generations = await listGenerations(ctx.db.kysely, serviceId);
    expect(generations.map((g) => g.state)).toEqual(['failed']);
    ctx.advance(10 * 60_000);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('cancelled');
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);
  });
});
