import { afterEach, describe, expect, it } from 'vitest';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../../test/contract/provisioning-test-context.ts';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { addDepartment } from '../billing/add-department.ts';
import { listTasks } from '../jobs/open-task.ts';
import { failGeneration } from '../provisioning/lifecycle/service-failure.ts';
import { addProcessingModule } from '../provisioning/add-processing-module.ts';
import { refreshModuleBalance } from '../provisioning/refresh-module-balance.ts';
import { recordCertificateIssued } from './record-certificate-event.ts';
import { scanEndingSubscriptions } from './scan-ending-subscriptions.ts';

const DAY_MS = 86_400_000;

describe.each(testDialects())('notification triggers on %s', (dialect) => {
  let ctx: TestContext | undefined;
  let pctx: ProvisioningTestContext | undefined;
  afterEach(async () => {
    await ctx?.drop();
    await pctx?.close();
    ctx = undefined;
    pctx = undefined;
  });

  const notifications = (c: TestContext) =>
    c.db.kysely.selectFrom('notifications').selectAll().orderBy('id').execute();

  async function activeService(c: TestContext, cn: string, paidUntil: Date) {
    const make = builders(c);
    const client = await make.client({ balance: '500.00' });
    const tariff = await make.tariff();
    const order = await make.order({ clientId: client.id, tariffId: tariff.id, cn });
    const now = c.clock.now().toISOString();
    await c.db.kysely
      .updateTable('services')
      .set({ status: 'active', paid_until: paidUntil.toISOString(), first_issued_at: now })
      .where('id', '=', order.serviceId)
      .execute();
    const generation = await c.db.kysely
      .insertInto('certificate_generations')
      .values({
        service_id: order.serviceId,
        seq: 1,
        kind: 'new',
        state: 'issued',
        hold_count: 0,
        ca_order_id: `CESM-${cn}`,
        not_after: paidUntil.toISOString(),
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { serviceId: order.serviceId, clientId: client.id, generationId: Number(generation.id) };
  }

  it('offers renewal once per paid-until date to active services ending within 30 days and not renewed', async () => {
    ctx = await createTestContext(dialect);
    const now = ctx.clock.now().getTime();
    const soon = await activeService(ctx, 'soon.example.com', new Date(now + 20 * DAY_MS));
    await activeService(ctx, 'later.example.com', new Date(now + 45 * DAY_MS));
    const renewed = await activeService(ctx, 'renewed.example.com', new Date(now + 10 * DAY_MS));
    const renewal = await ctx.db.kysely
      .selectFrom('services')
      .selectAll()
      .where('id', '=', renewed.serviceId)
      .executeTakeFirstOrThrow();
    await ctx.db.kysely
      .insertInto('services')
      .values({
        ...renewal,
        id: undefined,
        kind: 'renewal',
        status: 'ordered',
        previous_service_id: renewed.serviceId,
        paid_until: null,
        names: JSON.stringify([]),
        price_lines: JSON.stringify([]),
        organization: null,
      } as never)
      .execute();

    expect(await scanEndingSubscriptions(ctx)).toBe(1);
    ctx.clock.advanceMs(3_600_000);
    expect(await scanEndingSubscriptions(ctx)).toBe(0);
    const [offer, ...more] = await notifications(ctx);
    expect(more).toEqual([]);
    expect(offer).toMatchObject({
      client_id: soon.clientId,
      service_id: soon.serviceId,
      template: 'subscription-ending',
      action_needed: 1,
      dedupe_key: `subscription-ending:service:${soon.serviceId}:2026-04-22`,
    });
    const variables = typeof offer!.variables === 'string' ? JSON.parse(offer!.variables) : offer!.variables;
    expect(variables).toMatchObject({
      commonName: 'soon.example.com',
      caOrderId: 'CESM-soon.example.com',
      paidUntil: '2026-04-22',
      daysLeft: 20,
    });
  });

  it("tells the module's Department about a failed service beside its task, and nobody when there is no Department", async () => {
    ctx = await createTestContext(dialect);
    const department = await addDepartment(ctx, { name: 'Certificates', email: 'certs@example.com' });
    const failing = await activeService(
      ctx,
      'fail.example.com',
      new Date(ctx.clock.now().getTime() + 200 * DAY_MS),
    );
    await failGeneration(ctx, {
      generationId: failing.generationId,
      serviceId: failing.serviceId,
      departmentId: department.id,
      title: 'Certificate order CESM-fail for fail.example.com rejected',
      message: 'The CA rejected the validation.',
    });
    const alone = await activeService(
      ctx,
      'alone.example.com',
      new Date(ctx.clock.now().getTime() + 200 * DAY_MS),
    );
    await failGeneration(ctx, {
      generationId: alone.generationId,
      serviceId: alone.serviceId,
      departmentId: null,
      title: 'rejected',
      message: 'rejected',
    });
    const recorded = await notifications(ctx);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      client_id: null,
      department_id: department.id,
      template: 'processing-error',
      recipient_email: 'certs@example.com',
      dedupe_key: `processing-error:generation:${failing.generationId}`,
    });
    expect(await listTasks(ctx.db, { state: 'open' })).toHaveLength(2);
  });

  it('tells the client of a reissued certificate once, naming the new and the replaced CA order, with nothing to do', async () => {
    ctx = await createTestContext(dialect);
    const service = await activeService(
      ctx,
      'again.example.com',
      new Date(ctx.clock.now().getTime() + 400 * DAY_MS),
    );
    const now = ctx.clock.now().toISOString();
    const reissue = await ctx.db.kysely
      .insertInto('certificate_generations')
      .values({
        service_id: service.serviceId,
        seq: 2,
        kind: 'reissue',
        state: 'issued',
        hold_count: 0,
        ca_order_id: 'CESM-second',
        not_after: '2026-12-01T00:00:00.000Z',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(
      await recordCertificateIssued(ctx.db.kysely, {
        generationId: Number(reissue.id),
        now: ctx.clock.now(),
      }),
    ).toBe(true);
    expect(
      await recordCertificateIssued(ctx.db.kysely, {
        generationId: Number(reissue.id),
        now: ctx.clock.now(),
      }),
    ).toBe(false);
    const [note, ...more] = await notifications(ctx);
    expect(more).toEqual([]);
    expect(note).toMatchObject({
      template: 'certificate-reissued',
      action_needed: 0,
      client_id: service.clientId,
    });
    const variables = typeof note!.variables === 'string' ? JSON.parse(note!.variables) : note!.variables;
    expect(variables).toMatchObject({
      commonName: 'again.example.com',
      caOrderId: 'CESM-second',
      previousCaOrderId: 'CESM-again.example.com',
      expirationDate: '2026-12-01',
      actionNeeded: false,
    });
  });

  it('tells the Department once per fall below the minimal balance', async () => {
    pctx = await createProvisioningTestContext(dialect);
    await addDepartment(pctx, { name: 'Certificates', email: 'certs@example.com' });
    const added = await addProcessingModule(pctx, {
      kind: 'globalsign',
      username: SIM_USER,
      password: SIM_PASSWORD,
      demo: true,
      name: 'GlobalSign main',
      department: 'Certificates',
      sort: 1,
      minBalance: '500.00',
    });
    const setBalance = (balance: string) => pctx!.control(`accounts/${SIM_USER}/balance`, { balance });
    const lowNotices = async () =>
      (await notifications(pctx!)).filter((n) => n.template === 'module-low-balance');
    await setBalance('120.00');
    await refreshModuleBalance(pctx, added.module.id);
    pctx.clock.advanceMs(3_600_000);
    await refreshModuleBalance(pctx, added.module.id);
    expect(await lowNotices()).toHaveLength(1);
    const variables = (await lowNotices())[0]!.variables;
    expect(typeof variables === 'string' ? JSON.parse(variables) : variables).toMatchObject({
      moduleName: 'GlobalSign main',
      balance: expect.stringContaining('120.00'),
      minBalance: expect.stringContaining('500.00'),
      actionNeeded: true,
    });
    await setBalance('900.00');
    pctx.clock.advanceMs(3_600_000);
    await refreshModuleBalance(pctx, added.module.id);
    await setBalance('100.00');
    pctx.clock.advanceMs(3_600_000);
    await refreshModuleBalance(pctx, added.module.id);
    expect(await lowNotices()).toHaveLength(2);
  });
});
