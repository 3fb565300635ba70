import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { testDialects } from '../../test/support/databases.ts';
import { buildApp, type App } from './build-app.ts';
import { AppError } from '../core/errors/index.ts';
import { Type } from '@sinclair/typebox';

describe.each(testDialects())('HTTP shell on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, [
      (a) => {
        a.get('/boom/app', async () => {
          throw new AppError('MONEY_INVALID_CURRENCY', 'Use a three-letter code.');
        });
        a.post(
          '/echo',
          {
            schema: {
              body: Type.Object({ n: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
            },
          },
          async (req) => req.body,
        );
      },
    ]);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('reports health with the database dialect and version', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', version: 'test', database: { dialect, ok: true } });
  });

  it('serves an OpenAPI document that lists the routes and the docs UI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/healthz');
    const ui = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('turns an AppError into its status and stable code', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom/app' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: { code: 'MONEY_INVALID_CURRENCY', message: 'Use a three-letter code.' },
    });
  });

  it('enforces route schemas and answers CORE_VALIDATION', async () => {
    const res = await app.inject({ method: 'POST', url: '/echo', payload: { n: 0 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('CORE_VALIDATION');
    const extra = await app.inject({ method: 'POST', url: '/echo', payload: { n: 1, x: 2 } });
    expect(extra.statusCode).toBe(400);
  });

  it('answers unknown routes with CORE_NOT_FOUND', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'CORE_NOT_FOUND', message: 'No route GET /nope.' } });
  });
});
