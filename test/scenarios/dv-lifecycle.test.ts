import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listTasks } from '../../src/jobs/open-task.ts';
import { listMailOutbox, queueNotificationMail } from '../../src/notifications/mail-outbox.ts';
import { listClientNotifications } from '../../src/subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../../src/subscriptions/subscriptions-kysely.ts';
import { deliverCertificate } from '../../src/provisioning/delivery/deliver-certificate.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { testDialects } from '../support/databases.ts';
import { showAccount } from '../../src/billing/index.ts';
import {
  createLifecycleTestContext,
  startFileServer,
  type LifecycleTestContext,
} from './lifecycle-test-context.ts';

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
  readonly status: number;
}

async function simOrders(ctx: LifecycleTestContext): Promise<SimOrder[]> {
  return ((await ctx.control('orders')) as { orders: SimOrder[] }).orders;
}

/** Runs openssl; its answer with stderr (where `pkcs12 -info` writes the algorithms). */
function openssl(args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout + run.stderr;
}

describe.each(testDialects())('a paid DV service on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  async function paidService(opts: { cn?: string; sans?: string[]; dcv: string; moduleIds?: number[] }) {
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff(opts.moduleIds ? { moduleIds: opts.moduleIds } : {});
    const order = await ctx.make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn: opts.cn ?? 'example.com',
      sans: opts.sans ?? [],
      dcv: opts.dcv,
    });
    return order.serviceId;
  }

  it('becomes active once its DNS TXT record is published, and the downloaded full chain verifies with openssl', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const serviceId = await paidService({
      cn: 'example.com',
      sans: ['www.example.com', 'shop.example.com'],
      dcv: 'dns',
      moduleIds: [moduleId],
    });
    await ctx.runJobs();
    const waiting = await ctx.show(serviceId);
    expect(waiting.status).toBe('in_progress');
    expect(waiting.clientMustAct).toBe(true);
    const instructions = waiting.validation?.instructions;
    expect(instructions?.method).toBe('dns');
    if (instructions?.method !== 'dns') throw new Error('no DNS instructions');
    await ctx.control('dns', { name: 'example.com', txt: [instructions.value] });

    const active = await ctx.settle(serviceId, 'active');
    expect(active).toMatchObject({ status: 'active', expirationDate: '2026-10-19', paidUntil: '2027-04-02' });
    expect(active.caOrderId).toMatch(/^CESM/);
    expect(active.clientMustAct).toBe(false);
    // One paid year outlives the 200-day certificate: the policy fires 10 days before it expires.
    expect(active.nextReissueAt).toMatch(/^2026-10-09T/);
    expect((await simOrders(ctx)).length).toBe(1);
    // The client was told how to validate, then that the certificate is issued (docs/notifications.md).
    const notes = await listClientNotifications(subscriptionsKysely(ctx.db.kysely), { serviceId });
    expect(notes.map((n) => [n.template, n.actionNeeded])).toEqual([
      ['certificate-validation-required', true],
      ['certificate-issued', false],
    ]);
    expect(notes[1]?.variables).toMatchObject({
      commonName: 'example.com',
      caOrderId: active.caOrderId,
      expirationDate: '2026-10-19',
    });
    await queueNotificationMail(ctx);
    const mails = (await listMailOutbox(ctx)).reverse();
    expect(mails.map((m) => m.subject)).toEqual([
      `Action needed: validate example.com (order ${active.caOrderId})`,
      `Certificate for example.com issued (order ${active.caOrderId})`,
    ]);
    expect(mails[0]?.text).toContain(instructions.value);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-chain-'));
    try {
      const ca = (await ctx.control('ca')) as { root: string; intermediate: string };
      const leaf = await deliverCertificate(ctx, { serviceId, format: 'pem' });
      const chain = await deliverCertificate(ctx, { serviceId, format: 'chain' });
      const full = await deliverCertificate(ctx, { serviceId, format: 'fullchain' });
      expect(full.body.toString()).toBe(leaf.body.toString() + chain.body.toString());
      fs.writeFileSync(path.join(dir, 'root.pem'), ca.root);
      fs.writeFileSync(path.join(dir, 'chain.pem'), chain.body);
      fs.writeFileSync(path.join(dir, 'cert.pem'), leaf.body);
      const verified = openssl([
        'verify',
        // Checked at the CA's (test) time, whatever the machine's date.
        '-attime',
        String(Math.floor(ctx.caClock.now().getTime() / 1000)),
        '-CAfile',
        path.join(dir, 'root.pem'),
        '-untrusted',
        path.join(dir, 'chain.pem'),
        path.join(dir, 'cert.pem'),
      ]);
      expect(verified).toContain('cert.pem: OK');
      const text = openssl(['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-ext', 'subjectAltName']);
      expect(text).toContain('shop.example.com');

      const p12 = await deliverCertificate(ctx, { serviceId, format: 'p12', password: 'open sesame' });
      fs.writeFileSync(path.join(dir, 'cert.p12'), p12.body);
      const info = openssl([
        'pkcs12',
        '-info',
        '-nokeys',
        '-in',
        path.join(dir, 'cert.p12'),
        '-passin',
        'pass:open sesame',
      ]);
      expect(info).toContain('AES-256-CBC');
      expect(info).toContain('subject=CN = example.com');
      const p7b = await deliverCertificate(ctx, { serviceId, format: 'p7b' });
      fs.writeFileSync(path.join(dir, 'cert.p7b'), p7b.body);
      const certs = openssl(['pkcs7', '-in', path.join(dir, 'cert.p7b'), '-print_certs', '-noout']);
      expect(certs.match(/subject=/g)?.length).toBe(2);
      const zip = await deliverCertificate(ctx, { serviceId, format: 'zip', password: 'open sesame' });
      expect(zip.body.subarray(0, 2).toString()).toBe('PK');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits for the approver e-mail and becomes active when the approval arrives', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const serviceId = await paidService({ cn: 'mail-flow.example.com', dcv: 'email', moduleIds: [moduleId] });
    await ctx.runJobs();
    const waiting = await ctx.show(serviceId);
    expect(waiting.validation?.instructions).toMatchObject({ method: 'email' });
    expect(JSON.stringify(waiting.validation?.instructions)).toMatch(/@mail-flow\.example\.com"/);
    ctx.advance(120_000);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
    await ctx.control(`orders/${waiting.caOrderId}/approve`, {});
    const active = await ctx.settle(serviceId, 'active');
    expect(active.status).toBe('active');
    expect(active.caOrderId).toBe(waiting.caOrderId);
  });

  it('is validated by the HTTP file served on the domain and becomes active', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const web = await startFileServer();
    try {
      const moduleId = await ctx.addModule();
      const serviceId = await paidService({ cn: 'web-flow.example.com', dcv: 'http', moduleIds: [moduleId] });
      await ctx.runJobs();
      const instructions = (await ctx.show(serviceId)).validation?.instructions;
      if (instructions?.method !== 'http') throw new Error('no HTTP instructions');
      await ctx.control('hosts', { host: 'web-flow.example.com', address: `127.0.0.1:${web.port}` });
      ctx.advance(61_000);
      await ctx.runJobs();
      expect((await ctx.show(serviceId)).status).toBe('in_progress');
      web.files.set(`web-flow.example.com${instructions.path}`, instructions.content);
      expect((await ctx.settle(serviceId, 'active')).status).toBe('active');
    } finally {
      await web.close();
    }
  });

  it('places exactly one CA order when the CA placed it but its answer was lost', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const serviceId = await paidService({ cn: 'lost-answer.example.com', dcv: 'dns', moduleIds: [moduleId] });
    await ctx.control('faults', { kind: 'http500', count: 1, phase: 'after' });
    // DecodeCSR is the first call; the fault must hit DVDNSOrder, so let DecodeCSR pass first.
    await ctx.control('faults', {}, 'DELETE');
    await ctx.control('faults', { kind: 'reset', count: 2, phase: 'after' });
    await ctx.runJobs();
    ctx.advance(10 * 60_000);
    await ctx.control('faults', {}, 'DELETE');
    const generation = (await listGenerations(ctx.db.kysely, serviceId))[0];
    const orders = (await simOrders(ctx)).filter((o) => o.fqdn === 'lost-answer.example.com');
    for (const o of orders) {
      const txt = ((await ctx.control(`orders/${o.orderId}`)) as { dnsTxt?: { value: string } }).dnsTxt;
      if (txt) await ctx.control('dns', { name: 'lost-answer.example.com', txt: [txt.value] });
    }
    const active = await ctx.settle(serviceId, 'active');
    expect(active.status).toBe('active');
    expect((await simOrders(ctx)).filter((o) => o.fqdn === 'lost-answer.example.com')).toHaveLength(1);
    expect(generation).toBeDefined();
  });

  it('places exactly one DV e-mail order when DVOrder was performed but its answer was lost', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const serviceId = await paidService({ cn: 'lost-mail.example.com', dcv: 'email', moduleIds: [moduleId] });
    await ctx.control('faults', { kind: 'reset', count: 3, phase: 'after' });
    await ctx.runJobs();
    await ctx.control('faults', {}, 'DELETE');
    for (let i = 0; i < 6; i++) {
      ctx.advance(10 * 60_000);
      await ctx.runJobs();
    }
    const orders = (await simOrders(ctx)).filter((o) => o.fqdn === 'lost-mail.example.com');
    expect(orders).toHaveLength(1);
    await ctx.control(`orders/${orders[0]!.orderId}/approve`, {});
    expect((await ctx.settle(serviceId, 'active')).caOrderId).toBe(orders[0]!.orderId);
  });

  it('fails over to the next module when the first one refuses the login', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const first = await ctx.addModule({ name: 'broken', sort: 1 });
    const second = await ctx.addModule({ name: 'working', sort: 2 });
    await ctx.control('accounts', { user: 'PAR12345_api', password: 'sim-secret' });
    await ctx.db.kysely
      .updateTable('processing_modules' as never)
      .set({
        password_sealed: ctx.secrets.seal('wrong-password', `processing_modules.password:${first}`),
      } as never)
      .where('id' as never, '=', first as never)
      .execute();
    const serviceId = await paidService({
      cn: 'failover.example.com',
      dcv: 'dns',
      moduleIds: [first, second],
    });
    await ctx.runJobs();
    const generation = (await listGenerations(ctx.db.kysely, serviceId))[0];
    expect(generation?.moduleId).toBe(second);
    expect(generation?.state).toBe('awaiting_validation');
  });

  it('holds the order with a task while the only module is under its minimal balance, and proceeds once the balance is back', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule({ minBalance: '500.00' });
    await ctx.control('accounts/PAR12345_api/balance', { balance: '100.00' });
    const serviceId = await paidService({ cn: 'held.example.com', dcv: 'dns', moduleIds: [moduleId] });
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('ordered');
    const tasks = await listTasks(ctx.db, { state: 'open' });
    expect(tasks.some((t) => t.kind === 'order-held' && t.related === `service:${serviceId}`)).toBe(true);
    expect((await simOrders(ctx)).length).toBe(0);

    await ctx.control('accounts/PAR12345_api/balance', { balance: '5000.00' });
    ctx.advance(5 * 60_000);
    await ctx.runJobs();
    expect((await ctx.show(serviceId)).status).toBe('in_progress');
    expect((await listTasks(ctx.db, { state: 'open' })).some((t) => t.kind === 'order-held')).toBe(false);
  });

  it('refuses an order whose CSR is for another name before any money moves or any CA call', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const { makeTestCsr } = await import('../contract/make-test-csr.ts');
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    await expect(
      ctx.make.order({
        clientId: client.id,
        tariffId: tariff.id,
        cn: 'right.example.com',
        csr: await makeTestCsr('wrong.example.com'),
        dcv: 'dns',
      }),
    ).rejects.toMatchObject({ code: 'PROVISIONING_CSR_CN_MISMATCH' });
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(50_000);
    await ctx.runJobs();
    expect((await simOrders(ctx)).length).toBe(0);
  });

  it('fails the service with a task naming what the client must fix when the CA-bound CSR no longer fits', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const { makeTestCsr } = await import('../contract/make-test-csr.ts');
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    const order = await ctx.make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn: 'right.example.com',
      csr: await makeTestCsr('right.example.com'),
      dcv: 'dns',
    });
    // The stored request is replaced behind billing's back (e.g. edited by hand): provisioning must
    // still refuse it instead of sending it to the CA.
    await ctx.db.kysely
      .updateTable('services')
      .set({ csr: await makeTestCsr('wrong.example.com') })
      .where('id', '=', order.serviceId)
      .execute();
    await ctx.runJobs();
    const view = await ctx.show(order.serviceId);
    expect(view.status).toBe('failed');
    expect(view.validation?.lastError).toContain('wrong.example.com');
    const tasks = await listTasks(ctx.db, { state: 'open' });
    expect(tasks.some((t) => t.kind === 'certificate-failed' && t.body.includes('must fix'))).toBe(true);
    expect((await simOrders(ctx)).length).toBe(0);
  });
});
