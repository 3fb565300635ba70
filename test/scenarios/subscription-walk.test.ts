import { afterEach, describe, expect, it } from 'vitest';
import { updateSslProductSettings } from '../../src/billing/product-settings.ts';
import { limitsOn } from '../../src/domain/index.ts';
import { formatUtcDate } from '../../src/domain/utc-date.ts';
import { enqueuePeriodicJobs } from '../../src/jobs/job-handlers.ts';
import { listGenerations, type Generation } from '../../src/provisioning/lifecycle/generation-repository.ts';
import {
  listClientNotifications,
  type ClientNotification,
} from '../../src/subscriptions/record-client-notification.ts';
import { registerSubscriptionJobs } from '../../src/subscriptions/register-subscription-jobs.ts';
import { subscriptionsKysely } from '../../src/subscriptions/subscriptions-kysely.ts';
import { testDialects } from '../support/databases.ts';
import { createLifecycleTestContext, type LifecycleTestContext } from './lifecycle-test-context.ts';

const DAY_MS = 86_400_000;
/** The notifications the reissue policy records (other kinds, e.g. "certificate issued", are not its own). */
const POLICY_TEMPLATES = ['certificate-expiring', 'certificate-validation-required'];

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
}

async function createContext(dialect: 'sqlite' | 'postgres'): Promise<LifecycleTestContext> {
  const ctx = await createLifecycleTestContext(dialect);
  registerSubscriptionJobs(ctx.handlers, {
    modules: ctx.modules,
    provisioningSettings: ctx.provisioningSettings,
    lifecycle: ctx.lifecycle ?? {},
  });
  return ctx;
}

/** One scheduler tick at the test clock: the periodic jobs of the slot, then every due job. */
async function tick(ctx: LifecycleTestContext): Promise<void> {
  await enqueuePeriodicJobs(ctx.db, ctx.handlers.periodic(), ctx.clock.now());
  for (let i = 0; i < 5; i++) {
    if ((await ctx.runJobs()).length === 0) break;
  }
}

function moveTo(ctx: LifecycleTestContext, instant: Date): void {
  ctx.advance(instant.getTime() - ctx.clock.now().getTime());
}

/** Moves the clocks by `stepMs` at a time up to `until`, one scheduler tick and `onStep` each time. */
async function walk(
  ctx: LifecycleTestContext,
  until: Date,
  stepMs: number,
  onStep: () => Promise<void>,
): Promise<void> {
  while (ctx.clock.now().getTime() < until.getTime()) {
    moveTo(ctx, new Date(Math.min(until.getTime(), ctx.clock.now().getTime() + stepMs)));
    await tick(ctx);
    await onStep();
  }
}

/** A paid DV service of `years`, issued at once (the DNS record is published and stays). */
async function issuedService(
  ctx: LifecycleTestContext,
  years: number,
  cn = 'walk.example.com',
): Promise<number> {
  const moduleId = await ctx.addModule();
  const client = await ctx.make.client({ balance: '5000.00' });
  const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
  const order = await ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, years, dcv: 'dns' });
  await ctx.runJobs();
  const instructions = (await ctx.show(order.serviceId)).validation?.instructions;
  if (instructions?.method !== 'dns') throw new Error('no DNS instructions');
  await ctx.control('dns', { name: cn, txt: [instructions.value] });
  const active = await ctx.settle(order.serviceId, 'active');
  expect(active.status).toBe('active');
  return order.serviceId;
}

function issued(generations: readonly Generation[]): Generation[] {
  return generations.filter((g) => g.notAfter !== null);
}

async function simOrders(ctx: LifecycleTestContext): Promise<SimOrder[]> {
  return ((await ctx.control('orders')) as { orders: SimOrder[] }).orders;
}

/** The notifications of the reissue policy (the first order's own validation notice is not one). */
async function policyNotes(ctx: LifecycleTestContext, serviceId: number): Promise<ClientNotification[]> {
  const first = (await listGenerations(ctx.db.kysely, serviceId))[0]!;
  return (await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId })).filter(
    (n) =>
      POLICY_TEMPLATES.includes(n.template) &&
      !(n.template === 'certificate-validation-required' && n.generationId === first.id),
  );
}

/** What the client area must show at an instant: the certificate in use and the paid period. */
async function expectViewRight(
  ctx: LifecycleTestContext,
  serviceId: number,
  paidUntil: Date,
  years: number,
): Promise<Generation> {
  const generations = await listGenerations(ctx.db.kysely, serviceId);
  const current = issued(generations)
    .filter((g) => g.state === 'issued')
    .at(-1)!;
  const view = await ctx.show(serviceId);
  const at = ctx.clock.now().toISOString();
  expect({ at, status: view.status }).toEqual({ at, status: 'active' });
  expect({ at, expirationDate: view.expirationDate }).toEqual({
    at,
    expirationDate: formatUtcDate(new Date(current.notAfter!)),
  });
  expect({ at, paidUntil: view.paidUntil, shown: view.paidUntilShown }).toEqual({
    at,
    paidUntil: formatUtcDate(paidUntil),
    shown: years === 1 ? null : formatUtcDate(paidUntil),
  });
  expect(view.caOrderId).toBe(current.caOrderId);
  expect(generations.filter((g) => g.state === 'failed')).toEqual([]);
  return current;
}

describe.each(testDialects())('a DV subscription walked day by day on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  it('5 years from 2026-04-02: always covered, each certificate within the limits of its issue day and never past paid until, validation asked for exactly when reuse runs out', async () => {
    ctx = await createContext(dialect);
    const serviceId = await issuedService(ctx, 5);
    const first = (await listGenerations(ctx.db.kysely, serviceId))[0]!;
    const paidUntil = new Date((await ctx.show(serviceId)).paidUntilAt!);
    expect(formatUtcDate(new Date(first.notAfter!))).toBe('2026-10-19');
    expect(formatUtcDate(paidUntil)).toBe('2031-04-02');

    // The trigger each certificate had while it was in use (superseding clears it).
    const planned = new Map<number, { reissueAt: string | null; dcvNeededFrom: string | null }>();
    await walk(ctx, new Date(paidUntil.getTime() - 60_000), DAY_MS, async () => {
      const current = await expectViewRight(ctx, serviceId, paidUntil, 5);
      // Continuous coverage: the certificate in use is valid at every step.
      expect(new Date(current.notAfter!).getTime()).toBeGreaterThan(ctx.clock.now().getTime());
      planned.set(current.id, { reissueAt: current.reissueAt, dcvNeededFrom: current.dcvNeededFrom });
    });

    const certs = issued(await listGenerations(ctx.db.kysely, serviceId));
    const notes = await policyNotes(ctx, serviceId);
    const verifications = (await ctx.calls()).filter(
      (c) => c.operation === 'DVDNSVerificationForIssue' && c.successCode !== -1,
    );
    let validatedAt = new Date(first.notBefore!).getTime();
    for (let i = 0; i < certs.length; i++) {
      const cert = certs[i]!;
      const notBefore = new Date(cert.notBefore!);
      const notAfter = new Date(cert.notAfter!);
      const limits = limitsOn(notBefore);
      expect(notAfter.getTime()).toBeLessThanOrEqual(
        notBefore.getTime() + limits.maxValidityDays * DAY_MS - 1000,
      );
      expect(notAfter.getTime()).toBeLessThanOrEqual(paidUntil.getTime());
      if (i === 0) continue;
      const previous = certs[i - 1]!;
      expect(notBefore.getTime()).toBeLessThan(new Date(previous.notAfter!).getTime());
      expect(previous.state).toBe('superseded');
      // Started at the trigger, or ahead of it when fresh validation was needed; never before.
      const plan = planned.get(previous.id)!;
      const start = new Date(plan.dcvNeededFrom ?? plan.reissueAt!).getTime();
      const decided = new Date(cert.createdAt).getTime();
      expect(decided).toBeGreaterThanOrEqual(start);
      expect(decided - start).toBeLessThanOrEqual(DAY_MS);
      expect(decided).toBeLessThanOrEqual(new Date(plan.reissueAt!).getTime() + DAY_MS);
      // Validation is asked for (of the client and by the CA) exactly when reuse ran out.
      const stale = notBefore.getTime() - validatedAt > limits.dcvReuseDays * DAY_MS;
      const asked = notes.filter(
        (n) => n.generationId === cert.id && n.template === 'certificate-validation-required',
      );
      const checkedByCa = verifications.some((c) => c.orderId === cert.caOrderId);
      expect({ seq: cert.seq, asked: asked.length, checkedByCa }).toEqual({
        seq: cert.seq,
        asked: stale ? 1 : 0,
        checkedByCa: stale,
      });
      if (stale) {
        validatedAt = notBefore.getTime();
        expect(asked[0]?.variables).toMatchObject({
          commonName: 'walk.example.com',
          actionNeeded: true,
          method: 'dns',
          instructions: { method: 'dns', recordType: 'TXT' },
        });
        expect(plan.dcvNeededFrom).not.toBeNull();
      }
    }
    // Every era was crossed, and every reissue after 2029-03-15 validated afresh (reuse is 10 days).
    const issuedOn = (from: string) => certs.filter((c) => c.notBefore! >= from);
    expect(issuedOn('2027-03-15').length).toBeGreaterThan(0);
    expect(issuedOn('2029-03-15').length).toBeGreaterThan(10);
    for (const c of issuedOn('2029-03-15')) {
      expect(new Date(c.notAfter!).getTime() - new Date(c.notBefore!).getTime()).toBeLessThan(47 * DAY_MS);
      expect(notes.some((n) => n.generationId === c.id)).toBe(true);
    }
    // The last certificate ends at paid until (the simulator's term ends a second before) and has no trigger.
    const last = certs.at(-1)!;
    expect(last.reissueAt).toBeNull();
    expect(paidUntil.getTime() - new Date(last.notAfter!).getTime()).toBeGreaterThanOrEqual(0);
    expect(paidUntil.getTime() - new Date(last.notAfter!).getTime()).toBeLessThanOrEqual(1000);
    // One CA order per certificate: the first order plus one reissue each.
    expect((await simOrders(ctx)).length).toBe(certs.length);
    moveTo(ctx, new Date(paidUntil.getTime() + DAY_MS));
    await tick(ctx);
    expect(issued(await listGenerations(ctx.db.kysely, serviceId))).toHaveLength(certs.length);
  }, 900_000);

  it('5 years with the manual policy: the client is told once, at the trigger, and the CA is never called again', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { policy: 'manual' });
    const serviceId = await issuedService(ctx, 5, 'manual.example.com');
    const orders = (await simOrders(ctx)).length;
    const calls = (await ctx.calls()).length;
    const first = (await listGenerations(ctx.db.kysely, serviceId))[0]!;
    const paidUntil = new Date((await ctx.show(serviceId)).paidUntilAt!);
    const trigger = new Date(first.reissueAt!);
    const step = async () => {
      const view = await ctx.show(serviceId);
      expect(view.expirationDate).toBe('2026-10-19');
      expect(view.paidUntil).toBe('2031-04-02');
      const notes = await policyNotes(ctx, serviceId);
      expect(notes).toHaveLength(ctx.clock.now() < trigger ? 0 : 1);
    };
    // A week at a time, day by day around the trigger and the expiry, then a month at a time.
    await walk(ctx, new Date('2026-10-01T12:00:00Z'), 7 * DAY_MS, step);
    await walk(ctx, new Date('2026-10-25T12:00:00Z'), DAY_MS, step);
    await walk(ctx, paidUntil, 30 * DAY_MS, step);
    const notes = await policyNotes(ctx, serviceId);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      template: 'certificate-expiring',
      actionNeeded: true,
      variables: {
        commonName: 'manual.example.com',
        caOrderId: first.caOrderId,
        expirationDate: '2026-10-19',
        actionNeeded: true,
      },
    });
    expect(new Date(notes[0]!.createdAt).getTime() - trigger.getTime()).toBeLessThanOrEqual(DAY_MS);
    expect(notes[0]?.recipientEmail).toContain('@');
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);
    expect((await simOrders(ctx)).length).toBe(orders);
    // Not even a query: the walk made no CA call at all.
    expect((await ctx.calls()).length).toBe(calls);
  }, 600_000);

  it('5 years with the none policy: no trigger, no notification, no CA call', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { policy: 'none' });
    const serviceId = await issuedService(ctx, 5, 'none.example.com');
    const orders = (await simOrders(ctx)).length;
    const calls = (await ctx.calls()).length;
    const paidUntil = new Date((await ctx.show(serviceId)).paidUntilAt!);
    const step = async () => {
      const view = await ctx.show(serviceId);
      expect(view.nextReissueAt).toBeNull();
      expect(view.expirationDate).toBe('2026-10-19');
      expect(view.paidUntil).toBe('2031-04-02');
    };
    await walk(ctx, new Date('2026-10-01T12:00:00Z'), 7 * DAY_MS, step);
    await walk(ctx, new Date('2026-10-25T12:00:00Z'), DAY_MS, step);
    await walk(ctx, paidUntil, 30 * DAY_MS, step);
    expect(await policyNotes(ctx, serviceId)).toHaveLength(0);
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);
    expect((await simOrders(ctx)).length).toBe(orders);
    expect((await ctx.calls()).length).toBe(calls);
  }, 600_000);

  it('a one-year purchase shows an empty Paid until every day and is still reissued once, the second certificate ending at paid until', async () => {
    ctx = await createContext(dialect);
    const serviceId = await issuedService(ctx, 1, 'one-year.example.com');
    const view = await ctx.show(serviceId);
    expect(view.paidUntilShown).toBeNull();
    expect(view.paidUntil).toBe('2027-04-02');
    const paidUntil = new Date(view.paidUntilAt!);
    await walk(ctx, new Date(paidUntil.getTime() - 60_000), DAY_MS, async () => {
      const current = await expectViewRight(ctx, serviceId, paidUntil, 1);
      expect(new Date(current.notAfter!).getTime()).toBeGreaterThan(ctx.clock.now().getTime());
    });
    const certs = issued(await listGenerations(ctx.db.kysely, serviceId));
    expect(certs).toHaveLength(2);
    expect(formatUtcDate(new Date(certs[1]!.notAfter!))).toBe('2027-04-02');
    expect(new Date(certs[1]!.notAfter!).getTime()).toBeLessThanOrEqual(paidUntil.getTime());
    expect((await ctx.show(serviceId)).expirationDate).toBe('2027-04-02');
  }, 300_000);

  it('does not loop with SSLSubscriptionBefore 200 on 47-day certificates: each is reissued once, never before its mid-life', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { before: 200 });
    // Start the subscription in the 47-day era.
    moveTo(ctx, new Date('2029-04-01T00:00:00Z'));
    const serviceId = await issuedService(ctx, 1, 'short.example.com');
    const paidUntil = new Date((await ctx.show(serviceId)).paidUntilAt!);
    await walk(ctx, new Date(paidUntil.getTime() - 60_000), DAY_MS, async () => {
      const current = await expectViewRight(ctx, serviceId, paidUntil, 1);
      if (current.reissueAt) {
        const life = new Date(current.notAfter!).getTime() - new Date(current.notBefore!).getTime();
        expect(
          new Date(current.reissueAt).getTime() - new Date(current.notBefore!).getTime(),
        ).toBeGreaterThanOrEqual(life / 2);
      }
    });
    const generations = await listGenerations(ctx.db.kysely, serviceId);
    const certs = issued(generations);
    expect(generations.filter((g) => g.state === 'failed')).toEqual([]);
    for (let i = 1; i < certs.length; i++) {
      const previous = certs[i - 1]!;
      const life = new Date(previous.notAfter!).getTime() - new Date(previous.notBefore!).getTime();
      expect(new Date(certs[i]!.createdAt).getTime()).toBeGreaterThanOrEqual(
        new Date(previous.notBefore!).getTime() + life / 2,
      );
    }
    // One year of 47-day certificates, each replaced at mid-life.
    expect(certs.length - 1).toBeGreaterThan(10);
    expect(certs.length - 1).toBeLessThan(20);
    expect((await simOrders(ctx)).length).toBe(certs.length);
  }, 300_000);
});
