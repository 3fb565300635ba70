import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { testDialects } from '../../test/support/databases.ts';
import { buildPanelApp, getPage, loginAs } from '../../test/support/panel.ts';
import { seedDemo } from '../demo/seed-demo.ts';
import type { App } from '../http/build-app.ts';

describe.each(testDialects())('the demo logins on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('are created once on the first start, with random passwords that open the admin panel and the client area', async () => {
    const seed = await seedDemo(ctx);
    expect(seed).not.toBeNull();
    const { adminLogin, clientLogin } = seed!;
    expect(adminLogin.email).toBe('admin@example.com');
    expect(clientLogin.email).toBe('demo@example.com');
    expect(adminLogin.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(clientLogin.password).not.toBe(adminLogin.password);

    const admin = await loginAs(app, adminLogin);
    expect((await getPage(app, '/admin', admin)).body).toContain('Dashboard');
    const client = await loginAs(app, clientLogin);
    const home = await getPage(app, '/client', client);
    expect(home.body).toContain('500.00 USD');

    expect(await seedDemo(ctx)).toBeNull();
    const staff = await ctx.db.kysely.selectFrom('staff_users').select('email').execute();
    expect(staff).toEqual([{ email: 'admin@example.com' }]);
  });

  it('are never made by a start that is not the demo: a fresh database has no user with a password', async () => {
    const fresh = await createTestContext(dialect);
    try {
      const withPassword = await fresh.db.kysely
        .selectFrom('staff_users')
        .select('id')
        .where('password_hash', 'is not', null)
        .execute();
      expect(withPassword).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
