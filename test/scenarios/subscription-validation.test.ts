import { afterEach, describe, expect, it } from 'vitest';
import { enqueuePeriodicJobs } from '../../src/jobs/job-handlers.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { listGenerations, type Generation } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { listClientNotifications } from '../../src/subscriptions/record-client-notification.ts';
import { registerSubscriptionJobs } from '../../src/subscriptions/register-subscription-jobs.ts';
import { subscriptionsKysely } from '../../src/subscriptions/subscriptions-kysely.ts';
import { REISSUE_VALIDATION_AT_RISK_DAYS } from '../../src/subscriptions/watch-reissue-validations.ts';
import { testDialects } from '../support/databases.ts';
import {
  createLifecycleTestContext,
  startFileServer,
  type LifecycleTestContext,
} from './lifecycle-test-context.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CN = 'fresh.example.com';

async function tick(ctx: LifecycleTestContext): Promise<void> {
  await enqueuePeriodicJobs(ctx.db, ctx.handlers.periodic(), ctx.clock.now());
  for (let i = 0; i < 5; i++) {
    if ((await ctx.runJobs()).length === 0) break;
  }
}

function moveTo(ctx: LifecycleTestContext, instant: Date): void {
  ctx.advance(instant.getTime() - ctx.clock.now().getTime());
}

async function walk(ctx: LifecycleTestContext, until: Date, stepMs: number, onStep?: () => Promise<void>) {
  while (ctx.clock.now().getTime() < until.getTime()) {
    moveTo(ctx, new Date(Math.min(until.getTime(), ctx.clock.now().getTime() + stepMs)));
    await tick(ctx);
    await onStep?.();
  }
}

type FileServer = Awaited<ReturnType<typeof startFileServer>>;

/**
 * A 5-year DV service validated by an HTTP file on 2026-04-02; the file is taken down afterwards.
 * Its second certificate (2026-10-09, on the reused validation) is the one whose successor must
 * validate afresh: by 2027-04 the reuse period is 100 days.
 */
async function serviceBeforeFreshValidation(
  ctx: LifecycleTestContext,
  web: FileServer,
): Promise<{ serviceId: number; second: Generation; path: string; content: string }> {
  registerSubscriptionJobs(ctx.handlers, {
    modules: ctx.modules,
    provisioningSettings: ctx.provisioningSettings,
    lifecycle: ctx.lifecycle ?? {},
  });
  const moduleId = await ctx.addModule();
  const client = await ctx.make.client({ balance: '5000.00' });
  const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
  const order = await ctx.make.order({
    clientId: client.id,
    tariffId: tariff.id,
    cn: CN,
    years: 5,
    dcv: 'http',
  });
  await ctx.runJobs();
  const instructions = (await ctx.show(order.serviceId)).validation?.instructions;
  if (instructions?.method !== 'http') throw new Error('no HTTP instructions');
  await ctx.control('hosts', { host: CN, address: `127.0.0.1:${web.port}` });
  web.files.set(`${CN}${instructions.path}`, instructions.content);
  expect((await ctx.settle(order.serviceId, 'active')).status).toBe('active');
  web.files.clear();

  const [first] = await listGenerations(ctx.db.kysely, order.serviceId);
  moveTo(ctx, new Date(first!.reissueAt!));
  await tick(ctx);
  const generations = await listGenerations(ctx.db.kysely, order.serviceId);
  const second = generations.find((g) => g.seq === 2)!;
  // The reissue on the reused validation was issued at once: nothing asked of the client.
  expect(second.state).toBe('issued');
  expect(second.dcvNeededFrom).not.toBeNull();
  expect(new Date(second.reissueAt!).getTime() - new Date(second.dcvNeededFrom!).getTime()).toBe(14 * DAY_MS);
  return { serviceId: order.serviceId, second, path: instructions.path, content: instructions.content };
}

async function reissueChecks(ctx: LifecycleTestContext, caOrderId: string): Promise<number> {
  return (await ctx.calls()).filter(
    (c) => c.operation === 'URLVerificationForIssue' && c.orderId === caOrderId,
  ).length;
}

async function validationNotes(ctx: LifecycleTestContext, serviceId: number, generationId: number) {
  return (await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId })).filter(
    (n) => n.generationId === generationId && n.template === 'certificate-validation-required',
  );
}

describe.each(testDialects())('fresh validation ahead of a reissue on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  let web: FileServer | undefined;
  afterEach(async () => {
    await web?.close();
    web = undefined;
    await ctx?.close();
  });

  it('starts the reissue SSLValidationLeadDays before its trigger, tells the client the file to publish, and issues by itself once the file appears', async () => {
    ctx = await createLifecycleTestContext(dialect);
    web = await startFileServer();
    const { serviceId, second, path, content } = await serviceBeforeFreshValidation(ctx, web);

    moveTo(ctx, new Date(second.dcvNeededFrom!));
    await tick(ctx);
    const third = (await listGenerations(ctx.db.kysely, serviceId)).find((g) => g.seq === 3)!;
    expect(third).toMatchObject({ kind: 'reissue', state: 'awaiting_validation' });
    expect(third.validation).toEqual({ method: 'http', path, content, hosts: expect.any(Array) });
    const waiting = await ctx.show(serviceId);
    expect(waiting).toMatchObject({
      status: 'active',
      clientMustAct: true,
      expirationDate: new Date(second.notAfter!).toISOString().slice(0, 10),
      validation: {
        caOrderId: third.caOrderId,
        state: 'awaiting_validation',
        instructions: { method: 'http', path, content },
      },
    });
    const notes = await validationNotes(ctx, serviceId, third.id);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      actionNeeded: true,
      variables: {
        commonName: CN,
        caOrderId: second.caOrderId,
        pendingCaOrderId: third.caOrderId,
        actionNeeded: true,
        urgent: false,
        method: 'http',
        instructions: { method: 'http', path, content },
        validation: { method: 'http', httpPath: path, httpContent: content },
      },
    });

    // Two days without the file: the CA is asked again and again, with backoff, and says no.
    await walk(ctx, new Date(ctx.clock.now().getTime() + 2 * DAY_MS), HOUR_MS);
    const checks = await reissueChecks(ctx, third.caOrderId!);
    expect(checks).toBeGreaterThan(3);
    expect(checks).toBeLessThan(60);
    const stillWaiting = await listGenerations(ctx.db.kysely, serviceId);
    expect(stillWaiting.find((g) => g.seq === 3)).toMatchObject({ state: 'awaiting_validation' });
    expect(stillWaiting.find((g) => g.seq === 3)?.lastError).toBeTruthy();

    web.files.set(`${CN}${path}`, content);
    await walk(ctx, new Date(ctx.clock.now().getTime() + 2 * HOUR_MS), 10 * 60_000);
    const generations = await listGenerations(ctx.db.kysely, serviceId);
    expect(generations.map((g) => [g.seq, g.state])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'issued'],
    ]);
    const view = await ctx.show(serviceId);
    expect(view).toMatchObject({
      status: 'active',
      clientMustAct: false,
      validation: null,
      caOrderId: third.caOrderId,
    });
    expect(view.expirationDate).toBe(new Date(generations[2]!.notAfter!).toISOString().slice(0, 10));
    // Validated before the old certificate was at risk: no urgent notice, no task.
    expect(await validationNotes(ctx, serviceId, third.id)).toHaveLength(1);
    expect(await listTasks(ctx.db, { related: `service:${serviceId}` })).toEqual([]);
    // And the chain goes on: the new certificate has its own trigger.
    expect(generations[2]!.reissueAt).not.toBeNull();
  }, 300_000);

  it('when the file never appears, opens one task and sends one urgent notice as the certificate in use nears its end', async () => {
    ctx = await createLifecycleTestContext(dialect);
    web = await startFileServer();
    const { serviceId, second } = await serviceBeforeFreshValidation(ctx, web);
    const notAfter = new Date(second.notAfter!);
    const atRisk = notAfter.getTime() - REISSUE_VALIDATION_AT_RISK_DAYS * DAY_MS;

    moveTo(ctx, new Date(second.dcvNeededFrom!));
    await tick(ctx);
    const third = (await listGenerations(ctx.db.kysely, serviceId)).find((g) => g.seq === 3)!;
    expect(third.state).toBe('awaiting_validation');
    // Up to the hour before the risk point: one plain notice, no task.
    await walk(ctx, new Date(atRisk - HOUR_MS), 12 * HOUR_MS);
    expect((await validationNotes(ctx, serviceId, third.id)).map((n) => n.variables['urgent'])).toEqual([
      false,
    ]);
    expect(await listTasks(ctx.db, { related: `service:${serviceId}` })).toEqual([]);

    // Across the risk point a scheduler tick every 15 minutes (the watch's period), then on past
    // the end of the certificate.
    await walk(ctx, new Date(atRisk + 2 * HOUR_MS), 15 * 60_000);
    await walk(ctx, new Date(notAfter.getTime() + DAY_MS), 6 * HOUR_MS);
    const notes = await validationNotes(ctx, serviceId, third.id);
    expect(notes.map((n) => n.variables['urgent'])).toEqual([false, true]);
    const urgent = notes[1]!;
    expect(new Date(urgent.createdAt).getTime()).toBeGreaterThanOrEqual(atRisk);
    expect(new Date(urgent.createdAt).getTime() - atRisk).toBeLessThanOrEqual(15 * 60_000);
    expect(urgent).toMatchObject({
      actionNeeded: true,
      variables: { commonName: CN, pendingCaOrderId: third.caOrderId, method: 'http' },
    });
    const tasks = await listTasks(ctx.db, { related: `service:${serviceId}` });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: 'reissue-validation-at-risk', state: 'open' });
    expect(tasks[0]!.title).toContain(CN);
    // One reissue order at the CA for that certificate, however often it was checked.
    const orders = ((await ctx.control('orders')) as { orders: { orderId: string; fqdn: string }[] }).orders;
    expect(orders.filter((o) => o.fqdn === CN)).toHaveLength(3);
    expect((await listGenerations(ctx.db.kysely, serviceId)).map((g) => g.seq)).toEqual([1, 2, 3]);
  }, 300_000);
});
