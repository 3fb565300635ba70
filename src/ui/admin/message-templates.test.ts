import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createClientLogin,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import type { App } from '../../http/build-app.ts';
import { getMessageTemplate } from '../../notifications/message-templates.ts';
import { messageTemplatePages } from './message-templates.ts';

describe.each(testDialects())('Settings → Message templates on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  let client: PanelLogin;
  const url = '/admin/message-templates/certificate-issued/es';

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx, { adminPages: [messageTemplatePages] });
    admin = await loginAs(app, await createStaffLogin(ctx));
    client = await loginAs(app, await createClientLogin(ctx));
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  const stored = () => getMessageTemplate(ctx.db.kysely, { template: 'certificate-issued', language: 'es' });

  it('lists every template in both languages with its source', async () => {
    const page = await getPage(app, '/admin/message-templates', admin);
    expect(page.statusCode).toBe(200);
    for (const lang of ['en', 'es']) {
      expect(page.body).toContain(`href="/admin/message-templates/certificate-issued/${lang}"`);
      expect(page.body).toContain(`href="/admin/message-templates/module-low-balance/${lang}"`);
    }
    expect(page.body).not.toContain('>custom<');
    const old = await getPage(app, '/admin/templates', admin);
    expect(old.statusCode).toBe(302);
    expect(old.headers.location).toBe('/admin/message-templates');
  });

  it('shows a template with labelled fields, its variables and a preview of the stored text', async () => {
    const page = await getPage(app, url, admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="template-subject">Subject</label>');
    expect(page.body).toContain('<label for="template-body">Body</label>');
    expect(page.body).toContain('<code>commonName</code>');
    expect(page.body).toContain('example.com');
    expect(page.body).toContain('Preview</button>');
    expect(page.body).not.toContain('Reset to default</button>');
  });

  it('previews typed text with the sample variables without saving it', async () => {
    const res = await postForm(
      app,
      `${url}/preview`,
      { subject: 'Emitido: {{ commonName }}', body: 'Pedido {{ caOrderId }} <listo>.' },
      admin,
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<dd>Emitido: example.com</dd>');
    expect(res.body).toContain('Pedido CESM2604020001 &lt;listo&gt;.');
    expect(res.body).toContain('not saved yet');
    expect((await stored()).source).toBe('default');
  });

  it('saves a template, then resets it to the default', async () => {
    const saved = await postForm(
      app,
      url,
      { subject: 'Emitido: {{ commonName }}', body: 'Pedido {{ caOrderId }}.' },
      admin,
    );
    expect(saved.statusCode).toBe(303);
    expect(await stored()).toMatchObject({
      source: 'custom',
      subject: 'Emitido: {{ commonName }}',
      updatedAt: '2026-04-02T12:00:00.000Z',
    });
    const page = await getPage(app, url, admin);
    expect(page.body).toContain('saved.');
    expect(page.body).toContain('<dd>Emitido: example.com</dd>');
    expect(page.body).toContain('Reset to default</button>');
    expect((await getPage(app, '/admin/message-templates', admin)).body).toContain('>custom<');

    expect((await postForm(app, `${url}/reset`, {}, admin)).statusCode).toBe(303);
    expect((await stored()).source).toBe('default');
    expect((await getPage(app, url, admin)).body).toContain('is the default again.');
  });

  it('refuses a template that does not render, showing the engine’s message beside the field and the typed text', async () => {
    const before = await stored();
    const res = await postForm(
      app,
      url,
      { subject: 'Emitido', body: 'Hola {{ comonName }} {% if %}' },
      admin,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(
      /<textarea id="template-body" name="body"[^>]*>Hola \{\{ comonName \}\} \{% if %\}<\/textarea>\s*<p class="field-error" role="alert">the body of certificate-issued \(es\) does not render: /,
    );
    expect(await stored()).toEqual(before);

    const subject = await postForm(app, url, { subject: 'Hola {{ nadie }}', body: 'ok' }, admin);
    expect(subject.statusCode).toBe(400);
    expect(subject.body).toMatch(
      /id="template-subject" name="subject" value="Hola \{\{ nadie \}\}" required>\s*<p class="field-error" role="alert">the subject of certificate-issued \(es\) does not render/,
    );
    expect(await stored()).toEqual(before);
  });

  it('answers 404 for a template or language that does not exist', async () => {
    expect((await getPage(app, '/admin/message-templates/nothing/en', admin)).statusCode).toBe(404);
    expect((await getPage(app, '/admin/message-templates/certificate-issued/fr', admin)).statusCode).toBe(
      404,
    );
  });

  it('lists the mail outbox read-only and shows a mail', async () => {
    const now = ctx.clock.now().toISOString();
    const mail = (to: string, subject: string, state: string, extra: object = {}) => ({
      template: 'certificate-issued',
      language: 'en',
      to_address: to,
      subject,
      text: `Hello,\n${subject} <now>.\n`,
      state,
      next_attempt_at: now,
      created_at: now,
      ...extra,
    });
    await ctx.db.kysely
      .insertInto('mail_outbox')
      .values([
        mail('ann@example.com', 'Certificate for a.example issued', 'sent', { attempts: 1, sent_at: now }),
        mail('bob@example.com', 'Certificate for b.example issued', 'failed', {
          attempts: 3,
          last_error: 'SMTP 451 try later',
        }),
      ])
      .execute();
    const list = await getPage(app, '/admin/mail-outbox', admin);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('ann@example.com');
    expect(list.body).toContain('SMTP 451 try later');
    expect(list.body).toContain('<label for="outbox-state">State</label>');
    const failed = await getPage(app, '/admin/mail-outbox?state=failed', admin);
    expect(failed.body).toContain('bob@example.com');
    expect(failed.body).not.toContain('ann@example.com');
    const id = /<a href="\/admin\/mail-outbox\/(\d+)">Certificate for a.example issued/.exec(list.body)![1];
    const one = await getPage(app, `/admin/mail-outbox/${id}`, admin);
    expect(one.body).toContain(
      '<pre class="mail-text">Hello,\nCertificate for a.example issued &lt;now&gt;.\n</pre>',
    );
    expect((await getPage(app, '/admin/mail-outbox/999999', admin)).statusCode).toBe(404);
  });

  it('refuses the pages to a client user and the forms without the CSRF token', async () => {
    for (const page of ['/admin/message-templates', url, '/admin/mail-outbox', '/admin/templates']) {
      expect((await getPage(app, page, client)).statusCode, page).toBe(403);
    }
    const fields = { subject: 'X {{ commonName }}', body: 'Y' };
    for (const post of [url, `${url}/preview`, `${url}/reset`]) {
      expect((await postForm(app, post, fields, client)).statusCode, post).toBe(403);
      expect((await postForm(app, post, { ...fields, _csrf: null }, admin)).statusCode, post).toBe(403);
    }
    expect((await stored()).source).toBe('default');
  });
});
