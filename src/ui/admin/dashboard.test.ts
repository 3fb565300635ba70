import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { setServiceStatus } from '../../billing/set-service-status.ts';
import type { App } from '../../http/build-app.ts';
import {
  countServicesByState,
  readModuleBalances,
  readOpenTasks,
  readReissuesDueThisWeek,
  readValidationsOwed,
  SERVICE_COUNTS_TTL_MS,
} from './dashboard-data.ts';

describe.each(testDialects())('the admin Dashboard on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx);
    admin = await loginAs(app, await createStaffLogin(ctx));
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('shows an empty installation without failing', async () => {
    const page = await getPage(app, '/admin', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No processing module yet.');
    expect(page.body).toContain('No open task.');
    expect(page.body).toContain('No reissue due in the next 7 days.');
    expect(page.body).toContain('No certificate waits for domain validation.');
  });

  it('shows balances with their reading time and low mark, services by state, tasks, reissues due and validations owed', async () => {
    const now = ctx.clock.now();
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();
    const module = (name: string, sort: number, balance: number, min: number) => ({
      kind: 'globalsign',
      product_type: 'ssl',
      name,
      username: 'PAR1',
      password_sealed: 'x',
      demo: 1,
      enabled: 1,
      balance_below_minimum: balance < min ? 1 : 0,
      sort,
      min_balance_minor: min,
      min_balance_currency: 'USD',
      balance_minor: balance,
      balance_currency: 'USD',
      balance_read_at: '2026-04-02T11:30:00.000Z',
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await ctx.db.kysely
      .insertInto('processing_modules')
      .values([module('GS main', 1, 5_000, 10_000), module('GS spare', 2, 90_000, 10_000)])
      .execute();

    const make = builders(ctx);
    const tariff = await make.tariff();
    const client = await make.client({ balance: '500.00' });
    const order = (cn: string) => make.order({ clientId: client.id, tariffId: tariff.id, cn });
    const due = await order('due-soon.com');
    const later = await order('due-later.com');
    const waiting = await order('waiting.com');
    const move = (serviceId: number, to: 'active' | 'in_progress') =>
      setServiceStatus(ctx, { serviceId, from: ['ordered'], to });
    await move(due.serviceId, 'active');
    await move(later.serviceId, 'active');
    await move(waiting.serviceId, 'in_progress');
    const generation = (serviceId: number, state: string, reissueAt: string | null) => ({
      service_id: serviceId,
      seq: 1,
      kind: 'new',
      state,
      hold_count: 0,
      ca_order_id: `CE-${serviceId}`,
      dcv_method: 'dns',
      reissue_at: reissueAt,
      placed_at: now.toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    await ctx.db.kysely
      .insertInto('certificate_generations')
      .values([
        generation(due.serviceId, 'issued', at(3)),
        generation(later.serviceId, 'issued', at(30)),
        generation(waiting.serviceId, 'awaiting_validation', null),
      ])
      .execute();
    await ctx.db.kysely
      .insertInto('tasks')
      .values({
        kind: 'order-failed',
        title: 'Order <1> needs a look',
        body: '',
        dedupe_key: 'dash-1',
        state: 'open',
        created_at: now.toISOString(),
      })
      .execute();

    expect((await readModuleBalances(ctx)).map((m) => [m.name, m.low])).toEqual([
      ['GS main', true],
      ['GS spare', false],
    ]);
    expect(await countServicesByState(ctx)).toEqual([
      { status: 'ordered', count: 0 },
      { status: 'in_progress', count: 1 },
      { status: 'active', count: 2 },
      { status: 'expired', count: 0 },
      { status: 'cancelled', count: 0 },
      { status: 'failed', count: 0 },
    ]);
    expect((await readOpenTasks(ctx)).total).toBe(1);
    const reissues = await readReissuesDueThisWeek(ctx);
    expect(reissues.total).toBe(1);
    expect(reissues.first[0]).toMatchObject({ serviceId: due.serviceId, commonName: 'due-soon.com' });
    const owed = await readValidationsOwed(ctx);
    expect(owed.first.map((v) => v.commonName)).toEqual(['waiting.com']);

    ctx.clock.advanceMs(SERVICE_COUNTS_TTL_MS);
    const page = await getPage(app, '/admin', admin);
    expect(page.body).toMatch(
      /<a href="\/admin\/services\?status=active">active<\/a><\/td><td class="num">2</,
    );
    expect(page.body).toMatch(/<tr class="low">\s*<td><a href="\/admin\/modules\/\d+">GS main<\/a>/);
    expect(page.body).toContain('50.00 USD <span class="tag warn"');
    expect(page.body).toContain('2026-04-02 11:30 UTC');
    expect(page.body).toContain('Order &lt;1&gt; needs a look');
    expect(page.body).toContain('due-soon.com');
    expect(page.body).not.toContain('due-later.com');
    expect(page.body).toContain('waiting.com');
  });

  it('counts a block past its 10 listed rows at most once per 30 seconds, and exactly when fewer are listed', async () => {
    const before = await readOpenTasks(ctx);
    expect(before.latest.length).toBeLessThan(10);
    expect(before.total).toBe(before.latest.length);
    const task = (n: number) => ({
      kind: 'order-failed',
      title: `Task ${n}`,
      body: '',
      dedupe_key: `dash-count-${n}`,
      state: 'open',
      created_at: ctx.clock.now().toISOString(),
    });
    await ctx.db.kysely
      .insertInto('tasks')
      .values(Array.from({ length: 11 }, (_, n) => task(n)))
      .execute();
    ctx.clock.advanceMs(SERVICE_COUNTS_TTL_MS);
    const many = await readOpenTasks(ctx);
    expect(many.latest).toHaveLength(10);
    expect(many.total).toBe(before.total + 11);

    await ctx.db.kysely.insertInto('tasks').values(task(11)).execute();
    expect((await readOpenTasks(ctx)).total).toBe(before.total + 11);
    ctx.clock.advanceMs(SERVICE_COUNTS_TTL_MS);
    expect((await readOpenTasks(ctx)).total).toBe(before.total + 12);
    expect((await getPage(app, '/admin', admin)).body).toContain(`All ${before.total + 12} open tasks`);
  });
});
