import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { createApiToken } from '../billing/api-token-repository.ts';
import { buildApp, type App } from '../http/build-app.ts';
import { ROUTES } from '../http/routes/index.ts';

describe('the panel among the served routes', () => {
  let ctx: TestContext;
  let app: App;
  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = await buildApp(ctx, ROUTES);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('serves the sign-in page beside the JSON API, which keeps answering JSON to a form body', async () => {
    const login = await app.inject({ method: 'GET', url: '/login' });
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(login.body).toContain('<link rel="stylesheet" href="/assets/panel.css?v=test">');

    const api = await app.inject({ method: 'GET', url: '/api/tariffs' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('BILLING_TOKEN_MISSING');
    const admin = await createApiToken(ctx, { scope: { kind: 'admin' } });
    const form = await app.inject({
      method: 'POST',
      url: '/api/clients',
      payload: 'name=x',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${admin.token}`,
      },
    });
    expect(form.statusCode).toBe(415);
  });
});
