import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { updateSslProductSettings } from '../../src/billing/product-settings.ts';
import * as subscriptionsMigration from '../../src/db/migrations/006-subscriptions.ts';
import { limitsOn, planSubscription } from '../../src/domain/index.ts';
import { formatUtcDate } from '../../src/domain/utc-date.ts';
import { enqueuePeriodicJobs } from '../../src/jobs/job-handlers.ts';
import { listGenerations, type Generation } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { listClientNotifications } from '../../src/subscriptions/record-client-notification.ts';
import { registerSubscriptionJobs } from '../../src/subscriptions/register-subscription-jobs.ts';
import { subscriptionsKysely } from '../../src/subscriptions/subscriptions-kysely.ts';
import { testDialects } from '../support/databases.ts';
import { createLifecycleTestContext, type LifecycleTestContext } from './lifecycle-test-context.ts';

const DAY_MS = 86_400_000;
const SCAN_MS = 5 * 60_000;

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
}

async function createContext(dialect: 'sqlite' | 'postgres'): Promise<LifecycleTestContext> {
  const ctx = await createLifecycleTestContext(dialect);
  await subscriptionsMigration.up(ctx.db.kysely as unknown as Kysely<unknown>);
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
  for (let i = 0; i < 4; i++) {
    if ((await ctx.runJobs()).length === 0) break;
  }
}

function moveTo(ctx: LifecycleTestContext, instant: Date): void {
  ctx.advance(instant.getTime() - ctx.clock.now().getTime());
}

/** A paid DV service of `years`, issued at 2026-04-02T12:00:00Z (DNS validation published at once). */
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

/**
 * Walks the service from trigger to trigger: at one second before each trigger nothing happens;
 * at the trigger the policy runs. Returns when the current certificate has no trigger.
 */
async function walk(
  ctx: LifecycleTestContext,
  serviceId: number,
  onStep: (generations: Generation[]) => Promise<void>,
): Promise<void> {
  for (let step = 0; step < 60; step++) {
    const generations = await listGenerations(ctx.db.kysely, serviceId);
    await onStep(generations);
    const current = generations.filter((g) => g.state === 'issued').at(-1);
    if (!current?.reissueAt) return;
    const trigger = new Date(current.reissueAt);
    moveTo(ctx, new Date(trigger.getTime() - 1000));
    await tick(ctx);
    expect((await listGenerations(ctx.db.kysely, serviceId)).length).toBe(generations.length);
    moveTo(ctx, trigger);
    await tick(ctx);
    // The scan runs once per 5-minute slot: the trigger is acted on in the slot after it at latest.
    moveTo(ctx, new Date((Math.floor(trigger.getTime() / SCAN_MS) + 1) * SCAN_MS));
    await tick(ctx);
    const after = await listGenerations(ctx.db.kysely, serviceId);
    expect(after.length).toBeLessThanOrEqual(generations.length + 1);
  }
  throw new Error('the walk did not end');
}

describe.each(testDialects())('a 5-year DV subscription walked to its end on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  it('is reissued automatically before each expiry, within the limits of each issue day, never past paid until, validating afresh whenever reuse runs out', async () => {
    ctx = await createContext(dialect);
    const serviceId = await issuedService(ctx, 5);
    const first = (await listGenerations(ctx.db.kysely, serviceId))[0]!;
    const firstIssue = new Date(first.notBefore!);
    const view0 = await ctx.show(serviceId);
    expect(view0).toMatchObject({
      expirationDate: formatUtcDate(new Date(first.notAfter!)),
      paidUntil: formatUtcDate(new Date(view0.paidUntilAt!)),
    });
    const paidUntil = new Date(view0.paidUntilAt!);
    let dcvAt = firstIssue.getTime();

    const seen = new Set<number>();
    await walk(ctx, serviceId, async (generations) => {
      const certs = issued(generations);
      const view = await ctx.show(serviceId);
      const current = certs.at(-1)!;
      expect(view.status).toBe('active');
      expect(view.expirationDate).toBe(formatUtcDate(new Date(current.notAfter!)));
      expect(view.paidUntil).toBe(formatUtcDate(paidUntil));
      expect(view.paidUntilShown).toBe(formatUtcDate(paidUntil));
      expect(view.caOrderId).toBe(current.caOrderId);
      expect(generations.every((g) => g.state !== 'failed')).toBe(true);
      for (let i = 0; i < certs.length; i++) {
        const cert = certs[i]!;
        if (seen.has(cert.id)) continue;
        seen.add(cert.id);
        const notBefore = new Date(cert.notBefore!);
        const notAfter = new Date(cert.notAfter!);
        const limits = limitsOn(notBefore);
        expect(notAfter.getTime()).toBeLessThanOrEqual(
          notBefore.getTime() + limits.maxValidityDays * DAY_MS - 1000,
        );
        expect(notAfter.getTime()).toBeLessThanOrEqual(paidUntil.getTime());
        if (i === 0) continue;
        const previous = certs[i - 1]!;
        // Continuous coverage: each certificate is issued before the one it replaces expires.
        expect(notBefore.getTime()).toBeLessThan(new Date(previous.notAfter!).getTime());
        expect(previous.state).toBe('superseded');
        expect(previous.reissueAt).toBeNull();
        const notes = (
          await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId })
        ).filter((n) => n.generationId === cert.id && n.template === 'certificate-validation-required');
        const stale = notBefore.getTime() - dcvAt > limits.dcvReuseDays * DAY_MS;
        expect({ seq: cert.seq, at: cert.notBefore, validationRequested: notes.length === 1 }).toEqual({
          seq: cert.seq,
          at: cert.notBefore,
          validationRequested: stale,
        });
        if (stale) {
          dcvAt = notBefore.getTime();
          expect(notes[0]?.variables).toMatchObject({ commonName: 'walk.example.com', actionNeeded: true });
        }
      }
    });

    const certs = issued(await listGenerations(ctx.db.kysely, serviceId));
    // The seed example and the boundaries of SC-081.
    expect(formatUtcDate(new Date(certs[0]!.notAfter!))).toBe('2026-10-19');
    expect(formatUtcDate(paidUntil)).toBe('2031-04-02');
    const issuedOn = (from: string) => certs.filter((c) => c.notBefore! >= from);
    expect(issuedOn('2027-03-15').length).toBeGreaterThan(0);
    expect(issuedOn('2029-03-15').length).toBeGreaterThan(0);
    for (const c of issuedOn('2029-03-15')) {
      expect(new Date(c.notAfter!).getTime() - new Date(c.notBefore!).getTime()).toBeLessThan(47 * DAY_MS);
    }
    // Every reissue after 2029-03-15 validated afresh (DCV reuse is 10 days then).
    const notes = await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId });
    for (const c of issuedOn('2029-03-15').filter((c) => c.seq > 1)) {
      expect(
        notes.some((n) => n.generationId === c.id && n.template === 'certificate-validation-required'),
      ).toBe(true);
    }
    // The last certificate reaches the end of the paid period, and has no trigger.
    const last = certs.at(-1)!;
    expect(last.reissueAt).toBeNull();
    expect(paidUntil.getTime() - new Date(last.notAfter!).getTime()).toBeLessThanOrEqual(1000);
    // Roughly as many certificates as the planner expects (the CA ends the last one a second early).
    const plan = planSubscription({ productType: 'DV', firstIssuedAt: firstIssue, years: 5 });
    expect(Math.abs(certs.length - plan.certificates.length)).toBeLessThanOrEqual(1);
    // One CA order per certificate: the first order plus one reissue each.
    expect((await simOrders(ctx)).length).toBe(certs.length);
    moveTo(ctx, new Date(paidUntil.getTime() + DAY_MS));
    await tick(ctx);
    expect(issued(await listGenerations(ctx.db.kysely, serviceId))).toHaveLength(certs.length);
  }, 300_000);

  it('with the manual policy only notifies the client, once per certificate, and never calls the CA again', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { policy: 'manual' });
    const serviceId = await issuedService(ctx, 5, 'manual.example.com');
    const orders = (await simOrders(ctx)).length;
    const first = (await listGenerations(ctx.db.kysely, serviceId))[0]!;
    moveTo(ctx, new Date(first.reissueAt!));
    await tick(ctx);
    moveTo(ctx, new Date(new Date(first.reissueAt!).getTime() + 3 * DAY_MS));
    await tick(ctx);
    const notes = await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId });
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
    expect(notes[0]?.recipientEmail).toContain('@');
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);
    expect((await simOrders(ctx)).length).toBe(orders);
  });

  it('with the none policy does nothing: no trigger, no notification, no CA call', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { policy: 'none' });
    const serviceId = await issuedService(ctx, 5, 'none.example.com');
    const orders = (await simOrders(ctx)).length;
    expect((await ctx.show(serviceId)).nextReissueAt).toBeNull();
    moveTo(ctx, new Date('2026-10-18T12:00:00Z'));
    await tick(ctx);
    expect(await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId })).toHaveLength(0);
    expect(await listGenerations(ctx.db.kysely, serviceId)).toHaveLength(1);
    expect((await simOrders(ctx)).length).toBe(orders);
  });

  it('shows an empty Paid until for a one-year purchase and still reissues once, the 200-day certificate ending before the year does', async () => {
    ctx = await createContext(dialect);
    const serviceId = await issuedService(ctx, 1, 'one-year.example.com');
    const view = await ctx.show(serviceId);
    expect(view.paidUntilShown).toBeNull();
    expect(view.paidUntil).toBe('2027-04-02');
    await walk(ctx, serviceId, async () => undefined);
    const certs = issued(await listGenerations(ctx.db.kysely, serviceId));
    expect(certs).toHaveLength(2);
    expect(formatUtcDate(new Date(certs[1]!.notAfter!))).toBe('2027-04-02');
    expect((await ctx.show(serviceId)).expirationDate).toBe('2027-04-02');
  }, 120_000);

  it('does not loop with SSLSubscriptionBefore 200 on 47-day certificates: each is reissued once, at mid-life', async () => {
    ctx = await createContext(dialect);
    await updateSslProductSettings(ctx, { before: 200 });
    // Start the subscription in the 47-day era.
    moveTo(ctx, new Date('2029-04-01T00:00:00Z'));
    const serviceId = await issuedService(ctx, 1, 'short.example.com');
    let reissues = 0;
    await walk(ctx, serviceId, async (generations) => {
      const certs = issued(generations);
      const current = certs.at(-1)!;
      if (current.reissueAt) {
        const life = new Date(current.notAfter!).getTime() - new Date(current.notBefore!).getTime();
        expect(
          new Date(current.reissueAt).getTime() - new Date(current.notBefore!).getTime(),
        ).toBeGreaterThanOrEqual(life / 2);
      }
      reissues = certs.length - 1;
    });
    // One year of certificates that each live 47 days and are replaced at mid-life.
    expect(reissues).toBeGreaterThan(10);
    expect(reissues).toBeLessThan(20);
  }, 300_000);
});
