import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { addDepartment } from '../billing/add-department.ts';
import { listTasks } from '../jobs/open-task.ts';
import { recordClientNotification } from '../subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../subscriptions/subscriptions-kysely.ts';
import { drainMailOutbox, listMailOutbox, MAIL_DEAD_TASK } from './mail-outbox.ts';
import { recordDepartmentNotification } from './record-department-notification.ts';
import type { Mailer, OutgoingMail } from './smtp-mailer.ts';

/** A mailer that records what it is given and refuses the first `failures` tries. */
function fakeMailer(failures = 0): Mailer & { sent: OutgoingMail[]; tries: number } {
  const mailer = {
    sent: [] as OutgoingMail[],
    tries: 0,
    async send(mail: OutgoingMail) {
      mailer.tries += 1;
      if (mailer.tries <= failures) throw new Error(`550 5.1.1 <${mail.to}>: mailbox unavailable`);
      mailer.sent.push(mail);
      return { messageId: `<m${mailer.tries}@test>` };
    },
    close() {},
  };
  return mailer;
}

describe.each(testDialects())('the mail outbox on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });

  async function expiringNotice(opts: { language?: string } = {}) {
    const make = builders(ctx);
    const client = await make.client({ name: 'Ejemplo SL', balance: '100.00' });
    if (opts.language) {
      await ctx.db.kysely
        .updateTable('clients')
        .set({ language: opts.language })
        .where('id', '=', client.id)
        .execute();
    }
    const tariff = await make.tariff();
    const order = await make.order({ clientId: client.id, tariffId: tariff.id, cn: 'shop.example.com' });
    await recordClientNotification(subscriptionsKysely(ctx.db.kysely), {
      clientId: client.id,
      serviceId: order.serviceId,
      generationId: 41,
      template: 'certificate-expiring',
      variables: {
        commonName: 'shop.example.com',
        caOrderId: 'CESM2604020001',
        expirationDate: '2026-10-19',
        actionNeeded: true,
      },
      now: ctx.clock.now(),
    });
    return { client, serviceId: order.serviceId, to: client.users[0]!.email };
  }

  it('keeps mail queued, readable and untried while no SMTP server is configured', async () => {
    const { to } = await expiringNotice();
    expect(await drainMailOutbox(ctx, { mailer: null, from: 'billing@example.com' })).toEqual({
      queued: 1,
      sent: 0,
      failed: 0,
      dead: 0,
    });
    ctx.clock.advanceDays(3);
    await drainMailOutbox(ctx, { mailer: null, from: 'billing@example.com' });
    const [mail, ...rest] = await listMailOutbox(ctx);
    expect(rest).toEqual([]);
    expect(mail).toMatchObject({
      to,
      state: 'queued',
      attempts: 0,
      language: 'en',
      template: 'certificate-expiring',
    });
    expect(mail!.subject).toBe('Action needed: certificate for shop.example.com expires on 2026-10-19');
    expect(mail!.text).toContain('Hello Ejemplo SL');
  });

  it("renders in the client's language and sends once: the notification is marked sent", async () => {
    const { to } = await expiringNotice({ language: 'es' });
    const mailer = fakeMailer();
    const first = await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' });
    expect(first).toMatchObject({ queued: 1, sent: 1 });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      from: 'billing@example.com',
      to,
      subject: 'Acción necesaria: el certificado para shop.example.com caduca el 2026-10-19',
    });
    ctx.clock.advanceMs(120_000);
    expect(await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' })).toMatchObject({
      queued: 0,
      sent: 0,
    });
    expect(mailer.sent).toHaveLength(1);
    const [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({
      state: 'sent',
      attempts: 1,
      messageId: '<m1@test>',
      sentAt: '2026-04-02T12:00:00.000Z',
    });
    const notification = await ctx.db.kysely
      .selectFrom('notifications')
      .select('sent_at')
      .executeTakeFirstOrThrow();
    expect(notification.sent_at).toBe('2026-04-02T12:00:00.000Z');
  });

  it('retries a refused mail with doubling waits, then marks it dead and opens a task for the Department', async () => {
    const department = await addDepartment(ctx, { name: 'Certificates', email: 'certs@example.com' });
    await recordDepartmentNotification(ctx.db.kysely, {
      departmentId: department.id,
      template: 'module-low-balance',
      variables: {
        moduleId: 1,
        moduleName: 'GlobalSign',
        balance: '400.00 USD',
        minBalance: '500.00 USD',
        readAt: '2026-04-02T12:00:00.000Z',
        actionNeeded: true,
      },
      dedupeKey: 'module-low-balance:module:1:2026-04-02T12:00:00.000Z',
      now: ctx.clock.now(),
    });
    const mailer = fakeMailer(Infinity);
    const opts = { mailer, from: 'billing@example.com', maxAttempts: 3, retryBaseMs: 60_000 };
    expect(await drainMailOutbox(ctx, opts)).toMatchObject({ queued: 1, failed: 1 });
    let [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({
      to: 'certs@example.com',
      state: 'failed',
      attempts: 1,
      nextAttemptAt: '2026-04-02T12:01:00.000Z',
    });
    expect(mail!.lastError).toContain('550 5.1.1');
    // Not due yet: nothing is tried.
    ctx.clock.advanceMs(59_000);
    await drainMailOutbox(ctx, opts);
    expect(mailer.tries).toBe(1);
    ctx.clock.advanceMs(1_000);
    await drainMailOutbox(ctx, opts);
    [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({ state: 'failed', attempts: 2, nextAttemptAt: '2026-04-02T12:03:00.000Z' });
    expect(await listTasks(ctx.db, { state: 'open' })).toEqual([]);
    ctx.clock.advanceMs(120_000);
    expect(await drainMailOutbox(ctx, opts)).toMatchObject({ dead: 1 });
    [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({ state: 'dead', attempts: 3 });
    const tasks = await listTasks(ctx.db, { state: 'open' });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      kind: MAIL_DEAD_TASK,
      departmentId: department.id,
      related: `mail:${mail!.id}`,
    });
    expect(tasks[0]!.body).toContain('after 3 tries');
    ctx.clock.advanceDays(1);
    await drainMailOutbox(ctx, opts);
    expect(mailer.tries).toBe(3);
  });

  it('sends a mail that failed once on its next try', async () => {
    await expiringNotice();
    const mailer = fakeMailer(1);
    await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' });
    ctx.clock.advanceMs(60_000);
    expect(await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' })).toMatchObject({ sent: 1 });
    const [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({ state: 'sent', attempts: 2, lastError: null });
  });

  it('marks a Department message dead at once, with a task, when the Department has no address', async () => {
    const department = await addDepartment(ctx, { name: 'Silent' });
    await recordDepartmentNotification(ctx.db.kysely, {
      departmentId: department.id,
      template: 'module-low-balance',
      variables: {
        moduleId: 1,
        moduleName: 'GlobalSign',
        balance: '1.00 USD',
        minBalance: '5.00 USD',
        readAt: '2026-04-02T12:00:00.000Z',
        actionNeeded: true,
      },
      dedupeKey: 'low:1',
      now: ctx.clock.now(),
    });
    await drainMailOutbox(ctx, { mailer: fakeMailer(), from: 'billing@example.com' });
    const [mail] = await listMailOutbox(ctx);
    expect(mail).toMatchObject({ state: 'dead', to: null, attempts: 0 });
    expect(mail!.lastError).toContain('has no e-mail address');
    expect((await listTasks(ctx.db, { state: 'open' }))[0]).toMatchObject({
      kind: MAIL_DEAD_TASK,
      departmentId: department.id,
    });
  });

  it('records a notification once per dedupe key', async () => {
    const department = await addDepartment(ctx, { name: 'Ops', email: 'ops@example.com' });
    const input = {
      departmentId: department.id,
      template: 'processing-error' as const,
      variables: { title: 't', message: 'm', actionNeeded: true },
      dedupeKey: 'processing-error:generation:9',
      now: ctx.clock.now(),
    };
    expect(await recordDepartmentNotification(ctx.db.kysely, input)).toBe(true);
    expect(await recordDepartmentNotification(ctx.db.kysely, input)).toBe(false);
  });

  it('holds a validation notice until the CA gives instructions, then mails them', async () => {
    const { client, serviceId } = await expiringNotice();
    const now = ctx.clock.now().toISOString();
    const generation = await ctx.db.kysely
      .insertInto('certificate_generations')
      .values({
        service_id: serviceId,
        seq: 2,
        kind: 'reissue',
        state: 'intent',
        hold_count: 0,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordClientNotification(subscriptionsKysely(ctx.db.kysely), {
      clientId: client.id,
      serviceId,
      generationId: Number(generation.id),
      template: 'certificate-validation-required',
      variables: {
        commonName: 'shop.example.com',
        caOrderId: 'CESM2604020001',
        expirationDate: '2026-10-19',
        actionNeeded: true,
        names: ['shop.example.com'],
      },
      now: ctx.clock.now(),
    });
    const mailer = fakeMailer();
    await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' });
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      'Action needed: certificate for shop.example.com expires on 2026-10-19',
    ]);
    await ctx.db.kysely
      .updateTable('certificate_generations')
      .set({
        state: 'awaiting_validation',
        validation: JSON.stringify({
          method: 'dns',
          recordType: 'TXT',
          value: 'globalsign-domain-verification=abc',
          names: ['shop.example.com'],
        }),
      })
      .where('id', '=', Number(generation.id))
      .execute();
    ctx.clock.advanceMs(60_000);
    await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' });
    expect(mailer.sent).toHaveLength(2);
    expect(mailer.sent[1]!.subject).toBe('Action needed: validate shop.example.com (order CESM2604020001)');
    expect(mailer.sent[1]!.text).toContain('globalsign-domain-verification=abc');
  });
});
