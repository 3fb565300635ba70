import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import {
  buildPanelApp,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../test/support/panel.ts';
import type { App } from '../http/build-app.ts';
import type { PanelPage } from './page.ts';
import { render, setFlash } from './render.ts';

/** A page of its own: a form that saves a note and redirects with a flash message. */
const notePage: PanelPage = (scope) => {
  scope.get('/note', async (_req, reply) =>
    render(reply, 'error', { status: 200, heading: 'Note', message: '<i>x</i>' }),
  );
  scope.post('/note', async (req, reply) => {
    const text = (req.body as { text?: string }).text ?? '';
    await setFlash(reply, 'success', `Saved "${text}".`);
    return reply.redirect('/admin/note', 303);
  });
};

describe('render and flash messages', () => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  beforeAll(async () => {
    ctx = await createTestContext('sqlite');
    app = await buildPanelApp(ctx, { adminPages: [notePage] });
    admin = await loginAs(app, await createStaffLogin(ctx));
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('accepts a form with the session token and shows its flash message once, escaped', async () => {
    const saved = await postForm(app, '/admin/note', { text: '<b>hello</b>' }, admin);
    expect(saved.statusCode).toBe(303);
    const shown = await getPage(app, '/admin/note', admin);
    expect(shown.body).toContain(
      '<p class="flash flash-success" role="status">Saved &#34;&lt;b&gt;hello&lt;/b&gt;&#34;.</p>',
    );
    expect(shown.body).toContain('&lt;i&gt;x&lt;/i&gt;');
    expect(shown.headers['cache-control']).toBe('no-store');
    expect((await getPage(app, '/admin/note', admin)).body).not.toContain('flash-success');
  });

  it('answers unknown admin paths with the HTML 404 page inside the menu', async () => {
    const missing = await getPage(app, '/admin/tariffs', admin);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('This page does not exist.');
    expect(missing.body).toContain('<a href="/admin/tariffs" aria-current="page">Tariff plans</a>');
  });
});
