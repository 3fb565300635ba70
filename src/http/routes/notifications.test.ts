import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { addClient } from '../../billing/add-client.ts';
import { createApiToken } from '../../billing/api-token-repository.ts';
import { queueNotificationMail } from '../../notifications/mail-outbox.ts';
import { recordClientNotification } from '../../subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../../subscriptions/subscriptions-kysely.ts';
import { buildApp, type App } from '../build-app.ts';
import { notificationRoutes } from './notifications.ts';

describe.each(testDialects())('the mail API on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: string;
  let clientToken: string;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, [notificationRoutes]);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
    const client = await addClient(ctx, { name: 'Client', email: 'client@example.com' });
    clientToken = (await createApiToken(ctx, { scope: { kind: 'client', clientId: client.id } })).token;
    await recordClientNotification(subscriptionsKysely(ctx.db.kysely), {
      clientId: client.id,
      serviceId: 0,
      generationId: 5,
      template: 'certificate-expiring',
      variables: {
        commonName: 'api.example.com',
        caOrderId: 'CESM1',
        expirationDate: '2026-10-19',
        actionNeeded: true,
      },
      now: ctx.clock.now(),
    });
    await queueNotificationMail(ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  function call(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    token: string | null,
    payload?: object,
  ) {
    return app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  }

  it('answers only admin tokens', async () => {
    expect((await call('GET', '/api/admin/mail/outbox', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/admin/mail/outbox', clientToken)).statusCode).toBe(403);
    expect((await call('GET', '/api/admin/message-templates', clientToken)).statusCode).toBe(403);
  });

  it('lists the outbox with the queued mail', async () => {
    const res = await call('GET', '/api/admin/mail/outbox?limit=5', admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().mails).toEqual([
      expect.objectContaining({
        to: 'client@example.com',
        state: 'queued',
        subject: 'Action needed: certificate for api.example.com expires on 2026-10-19',
      }),
    ]);
    expect((await call('GET', '/api/admin/mail/outbox?state=sent', admin)).json().mails).toEqual([]);
  });

  it('shows, saves, refuses and resets a template', async () => {
    const list = await call('GET', '/api/admin/message-templates', admin);
    expect(list.json().templates).toHaveLength(14);
    const shown = await call('GET', '/api/admin/message-templates/subscription-ending/es', admin);
    expect(shown.json()).toMatchObject({ source: 'default', language: 'es', audience: 'client' });
    expect(shown.json().variables.map((v: { name: string }) => v.name)).toContain('daysLeft');

    const saved = await call('PUT', '/api/admin/message-templates/subscription-ending/es', admin, {
      subject: 'Renueve {{ commonName }}',
      body: 'Quedan {{ daysLeft }} días.',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ source: 'custom', subject: 'Renueve {{ commonName }}' });

    const refused = await call('PUT', '/api/admin/message-templates/subscription-ending/es', admin, {
      subject: 'Renueve {{ commonNam }}',
      body: 'x',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    expect(
      (await call('GET', '/api/admin/message-templates/subscription-ending/es', admin)).json().subject,
    ).toBe('Renueve {{ commonName }}');

    const reset = await call('DELETE', '/api/admin/message-templates/subscription-ending/es', admin);
    expect(reset.json()).toMatchObject({ source: 'default' });
    expect((await call('GET', '/api/admin/message-templates/nope/en', admin)).statusCode).toBe(404);
  });

  it('previews a template text with the sample variables without saving it, and refuses a failing one', async () => {
    const url = '/api/admin/message-templates/certificate-issued/en/preview';
    const preview = await call('POST', url, admin, {
      subject: 'Issued: {{ commonName }}',
      body: 'Order {{ caOrderId }}.',
    });
    expect(preview.statusCode).toBe(200);
    const { subject, text } = preview.json() as { subject: string; text: string };
    expect(subject).toMatch(/^Issued: \S+\.\S+/);
    expect(text).toMatch(/^Order \S+\./);
    expect(subject).not.toContain('{{');
    const failing = await call('POST', url, admin, { subject: '{{ commonNam }}', body: 'x' });
    expect(failing.statusCode).toBe(400);
    expect(failing.json().error.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');
    const shown = await call('GET', '/api/admin/message-templates/certificate-issued/en', admin);
    expect(shown.json()).toMatchObject({ source: 'default' });
    expect((await call('POST', url, clientToken, { subject: 'a', body: 'b' })).statusCode).toBe(403);
  });
});
