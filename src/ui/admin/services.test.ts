import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { getService } from '../../billing/service-repository.ts';
import { setServiceStatus } from '../../billing/set-service-status.ts';
import { showAccount } from '../../billing/show-account.ts';
import type { Client } from '../../billing/client-repository.ts';
import type { Tariff } from '../../billing/tariff-repository.ts';
import type { App } from '../../http/build-app.ts';
import { insertTestModule } from './panel-test-data.ts';

describe.each(testDialects())('Services on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  let client: Client;
  let other: Client;
  let tariff: Tariff;
  let moduleId: number;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx);
    admin = await loginAs(app, await createStaffLogin(ctx));
    const make = builders(ctx);
    client = await make.client({ name: 'Alpha Ltd', balance: '1000.00' });
    other = await make.client({ name: 'Beta Ltd', balance: '1000.00' });
    tariff = await make.tariff();
    moduleId = await insertTestModule(ctx, 'GS filter', 1);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  const order = (cn: string, who: Client = client) =>
    builders(ctx).order({ clientId: who.id, tariffId: tariff.id, cn });

  async function issue(serviceId: number, caOrderId: string) {
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' });
    const at = ctx.clock.now().toISOString();
    await ctx.db.kysely
      .updateTable('services')
      .set({ first_issued_at: at, paid_until: '2027-04-02T12:00:00.000Z' })
      .where('id', '=', serviceId)
      .execute();
    await ctx.db.kysely
      .insertInto('certificate_generations')
      .values({
        service_id: serviceId,
        seq: 1,
        kind: 'new',
        state: 'issued',
        hold_count: 0,
        module_id: moduleId,
        ca_order_id: caOrderId,
        dcv_method: 'dns',
        placed_at: at,
        not_before: at,
        not_after: '2026-10-19T12:00:00.000Z',
        created_at: at,
        updated_at: at,
      })
      .execute();
  }

  it('filters by state, client, product, module and part of the common name, and pages by id', async () => {
    const active = await order('filter-active.example.com');
    await issue(active.serviceId, 'CE-FILTER-1');
    const waiting = await order('filter-waiting.example.org');
    const others = await order('filter-other.example.net', other);
    const body = async (url: string) => (await getPage(app, url, admin)).body;

    const byState = await body('/admin/services?status=active');
    expect(byState).toContain('filter-active.example.com');
    expect(byState).not.toContain('filter-waiting.example.org');
    const byClient = await body(`/admin/services?client=${other.id}`);
    expect(byClient).toContain('filter-other.example.net');
    expect(byClient).not.toContain('filter-active.example.com');
    const byModule = await body(`/admin/services?module=${moduleId}`);
    expect(byModule).toContain('filter-active.example.com');
    expect(byModule).not.toContain('filter-waiting.example.org');
    const byName = await body('/admin/services?cn=WAITING.example');
    expect(byName).toContain('filter-waiting.example.org');
    expect(byName).not.toContain('filter-other.example.net');
    expect(await body('/admin/services?cn=100%25')).toContain('No service matches.');
    expect(await body('/admin/services?product=EV')).toContain('No service matches.');
    expect(await body('/admin/services?product=DV&cn=filter-')).toContain('filter-other.example.net');
    const older = await body(`/admin/services?cn=filter-&before=${others.serviceId}`);
    expect(older).toContain('filter-waiting.example.org');
    expect(older).not.toContain('filter-other.example.net');
    expect(older).toContain('First page');
    expect(byState).toContain('<label for="filter-cn">Common name contains</label>');
    // The filter form shows what was chosen.
    expect(byState).toContain('<option value="active" selected>active</option>');
    expect(byState).toContain('<option value="in_progress">in progress</option>');
    expect(byModule).toMatch(new RegExp(`<option value="${moduleId}" selected>`));
    expect(await body('/admin/services?product=DV')).toMatch(
      /<option value="DV" selected>[^<]+\(DV\)<\/option>/,
    );
    expect(waiting.serviceId).toBeLessThan(others.serviceId);
  });

  it('lists the module of the last generation and the expiry of the last issued one', async () => {
    const reissued = await order('list-reissued.example.com');
    await issue(reissued.serviceId, 'CE-LIST-1');
    const spare = await insertTestModule(ctx, 'GS spare list', 2);
    const at = ctx.clock.now().toISOString();
    await ctx.db.kysely
      .insertInto('certificate_generations')
      .values(
        [
          { seq: 3, state: 'ordered', module_id: spare, not_after: null },
          { seq: 0, state: 'issued', module_id: moduleId, not_after: '2026-01-05T12:00:00.000Z' },
        ].map((g) => ({
          ...g,
          service_id: reissued.serviceId,
          kind: g.seq === 0 ? ('new' as const) : ('reissue' as const),
          hold_count: 0,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();

    const row = (await getPage(app, '/admin/services?cn=list-reissued', admin)).body;
    expect(row).toContain('<td>GS spare list</td><td>2026-10-19</td>');
  });

  it('shows a service with Expiration date, Paid until, CA order id, module, names, certificates, tasks and notifications', async () => {
    const placed = await order('detail.example.com');
    await issue(placed.serviceId, 'CE-DETAIL-1');
    const at = ctx.clock.now().toISOString();
    await ctx.db.kysely
      .insertInto('tasks')
      .values({
        kind: 'order-held',
        title: 'Order of detail.example.com is held',
        body: '',
        related: `service:${placed.serviceId}`,
        dedupe_key: `held:${placed.serviceId}`,
        state: 'open',
        created_at: at,
      })
      .execute();
    await ctx.db.kysely
      .insertInto('notifications')
      .values({
        client_id: client.id,
        service_id: placed.serviceId,
        template: 'certificate-issued',
        recipient_email: 'ops@example.com',
        variables: '{}',
        action_needed: 0,
        dedupe_key: `issued:${placed.serviceId}`,
        created_at: at,
      })
      .execute();
    const page = await getPage(app, `/admin/services/${placed.serviceId}`, admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<th scope="row">Expiration date</th><td>2026-10-19</td>');
    expect(page.body).toContain('<th scope="row">Paid until</th><td>2027-04-02</td>');
    expect(page.body).toContain('<th scope="row">CA order id</th><td>CE-DETAIL-1</td>');
    expect(page.body).toContain('<th scope="row">Processing module</th><td>GS filter</td>');
    expect(page.body).toContain('Order of detail.example.com is held');
    expect(page.body).toContain('certificate-issued');
    expect(page.body).toContain('<button type="submit">Reissue now</button>');
    expect((await getPage(app, '/admin/services/999999', admin)).statusCode).toBe(404);
  });

  it('cancels a service with a full refund to the client balance and says so', async () => {
    const placed = await order('cancel-me.example.com');
    const before = (await showAccount(ctx, client.id)).balance.amountMinor;
    const page = await getPage(app, `/admin/services/${placed.serviceId}`, admin);
    expect(page.body).toContain('Cancelling refunds the full price paid, <strong>30.00 USD</strong>');
    const key = /name="idempotency_key" value="([^"]+)"/.exec(page.body)![1]!;
    const res = await postForm(
      app,
      `/admin/services/${placed.serviceId}/cancel`,
      { idempotency_key: key },
      admin,
    );
    expect(res.statusCode).toBe(303);
    const after = await getPage(app, `/admin/services/${placed.serviceId}`, admin);
    expect(after.body).toContain(
      `Service ${placed.serviceId} cancelled; 30.00 USD refunded to the client&#39;s balance.`,
    );
    expect((await getService(ctx.db.kysely, placed.serviceId)).status).toBe('cancelled');
    const account = await showAccount(ctx, client.id);
    expect(account.balance.amountMinor).toBe(before + 3000);
    expect(account.entries.at(-1)).toMatchObject({ kind: 'refund', serviceId: placed.serviceId });

    const again = await postForm(
      app,
      `/admin/services/${placed.serviceId}/cancel`,
      { idempotency_key: 'other' },
      admin,
    );
    expect(again.statusCode).toBe(303);
    expect((await getPage(app, `/admin/services/${placed.serviceId}`, admin)).body).toContain(
      `Service ${placed.serviceId} is cancelled; there is nothing to cancel.`,
    );
  });

  it('reissues an active service now with a reissue intent, and says why not for one still ordered', async () => {
    const active = await order('reissue.example.com');
    await issue(active.serviceId, 'CE-REISSUE-1');
    const res = await postForm(app, `/admin/services/${active.serviceId}/reissue`, {}, admin);
    expect(res.statusCode).toBe(303);
    const page = await getPage(app, `/admin/services/${active.serviceId}`, admin);
    expect(page.body).toContain(
      'Reissue decided (certificate generation 2): the new certificate is ordered from the CA',
    );
    const generations = await ctx.db.kysely
      .selectFrom('certificate_generations')
      .select(['seq', 'kind', 'state'])
      .where('service_id', '=', active.serviceId)
      .orderBy('seq')
      .execute();
    expect(generations.at(-1)).toEqual({ seq: 2, kind: 'reissue', state: 'intent' });
    expect(page.body).toContain('A certificate is already on its way (generation 2, intent).');

    const ordered = await order('not-yet.example.com');
    await postForm(app, `/admin/services/${ordered.serviceId}/reissue`, {}, admin);
    expect((await getPage(app, `/admin/services/${ordered.serviceId}`, admin)).body).toContain(
      'Not reissued: the service is ordered, not active.',
    );
  });

  it('retries a failed service: ordered again with a new generation and job, its failure task closed', async () => {
    const placed = await order('retry.example.com');
    const at = ctx.clock.now().toISOString();
    await ctx.db.kysely
      .insertInto('certificate_generations')
      .values({
        service_id: placed.serviceId,
        seq: 1,
        kind: 'new',
        state: 'failed',
        hold_count: 0,
        last_error: 'The CA refused the CSR.',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await setServiceStatus(ctx, { serviceId: placed.serviceId, from: ['ordered'], to: 'failed' });
    await ctx.db.kysely
      .insertInto('tasks')
      .values({
        kind: 'certificate-failed',
        title: 'retry.example.com failed',
        body: '',
        related: `service:${placed.serviceId}`,
        dedupe_key: `certificate-failed:retry:${placed.serviceId}`,
        state: 'open',
        created_at: at,
      })
      .execute();
    const page = await getPage(app, `/admin/services/${placed.serviceId}`, admin);
    expect(page.body).toContain('<button type="submit">Retry</button>');
    const res = await postForm(app, `/admin/services/${placed.serviceId}/retry`, {}, admin);
    expect(res.statusCode).toBe(303);
    const after = await getPage(app, `/admin/services/${placed.serviceId}`, admin);
    expect(after.body).toContain(
      `Service ${placed.serviceId} is ordered again (certificate generation 2); the order goes to the CA within a minute.`,
    );
    expect((await getService(ctx.db.kysely, placed.serviceId)).status).toBe('ordered');
    const job = await ctx.db.kysely
      .selectFrom('jobs')
      .select(['kind', 'state'])
      .where('kind', '=', 'place-order')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ kind: 'place-order', state: 'ready' });
    const task = await ctx.db.kysely
      .selectFrom('tasks')
      .select('state')
      .where('dedupe_key', '=', `certificate-failed:retry:${placed.serviceId}`)
      .executeTakeFirstOrThrow();
    expect(task.state).toBe('closed');

    await postForm(app, `/admin/services/${placed.serviceId}/retry`, {}, admin);
    expect((await getPage(app, `/admin/services/${placed.serviceId}`, admin)).body).toContain(
      `Service ${placed.serviceId} is ordered, not failed; only a failed service is ordered again.`,
    );
  });
});
