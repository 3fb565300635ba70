import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueKey } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  createLifecycleTestContext,
  type LifecycleTestContext,
} from '../../../test/scenarios/lifecycle-test-context.ts';
import { createApiToken } from '../../billing/api-token-repository.ts';
import { buildApp, type App } from '../build-app.ts';
import { approverRoutes } from './approvers.ts';

describe.each(testDialects())("the CA's approver addresses over the API on %s", (dialect) => {
  let ctx: LifecycleTestContext;
  let app: App;
  let admin: string;
  let tariffId: number;

  beforeAll(async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    tariffId = (await ctx.make.tariff({ moduleIds: [moduleId] })).id;
    app = await buildApp(ctx, [approverRoutes]);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  const get = (url: string, token: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('lists the addresses the CA offers for the names of an order before it is placed', async () => {
    const res = await get(`/api/approvers?tariffId=${tariffId}&cn=example.com&san=www.example.com`, admin);
    expect(res.statusCode, res.body).toBe(200);
    const emails = res.json().approvers.map((a: { email: string }) => a.email);
    expect(emails).toEqual(expect.arrayContaining(['admin@example.com', 'webmaster@example.com']));
  });

  it("lists a pending order's addresses for its own client and answers 404 to another client", async () => {
    const owner = await ctx.make.client({ balance: '100.00' });
    const stranger = await ctx.make.client();
    const { serviceId } = await ctx.make.order({
      clientId: owner.id,
      tariffId,
      cn: 'pending.example.com',
      dcv: 'email',
      idempotencyKey: uniqueKey('order'),
    });
    await ctx.runJobs();
    const token = async (clientId: number) =>
      (await createApiToken(ctx, { scope: { kind: 'client', clientId } })).token;
    const own = await get(`/api/services/${serviceId}/dcv/approvers`, await token(owner.id));
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().commonName).toBe('pending.example.com');
    const theirs = await get(`/api/services/${serviceId}/dcv/approvers`, await token(stranger.id));
    expect(theirs.statusCode).toBe(404);
  });
});
