import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommands, useDatabaseUrl } from '../../../test/support/cli.ts';
import { createTestDatabase, testDialects } from '../../../test/support/databases.ts';
import { TestClock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';
import { composeBareContext } from '../../compose.ts';
import { addClient } from '../../billing/add-client.ts';
import { queueNotificationMail } from '../../notifications/mail-outbox.ts';
import { recordClientNotification } from '../../subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../../subscriptions/subscriptions-kysely.ts';
import { registerMailCommands } from './mail.ts';

const certbill = (...argv: string[]) => runCommands(registerMailCommands, argv);

describe.each(testDialects())('the mail commands on %s', (dialect) => {
  let db: Database & { drop(): Promise<void> };
  let restoreUrl: () => void;
  let tmp: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    restoreUrl = useDatabaseUrl(db.url);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-mail-'));
    const ctx = composeBareContext(db, { clock: new TestClock('2026-04-02T12:00:00Z') });
    const client = await addClient(ctx, { name: 'Ann', email: 'ann@example.com' });
    await recordClientNotification(subscriptionsKysely(db.kysely), {
      clientId: client.id,
      serviceId: 0,
      generationId: 3,
      template: 'certificate-expiring',
      variables: {
        commonName: 'cli.example.com',
        caOrderId: 'CESM3',
        expirationDate: '2026-10-19',
        actionNeeded: true,
      },
      now: ctx.clock.now(),
    });
    await queueNotificationMail(ctx);
  });
  afterAll(async () => {
    restoreUrl();
    fs.rmSync(tmp, { recursive: true, force: true });
    await db.drop();
  });

  it('shows the outbox, where mail waits without an SMTP server', async () => {
    const { json, exitCode } = await certbill('mail', 'outbox', '--limit', '5', '--json');
    expect(exitCode).toBe(0);
    expect(json.mails).toEqual([
      expect.objectContaining({
        to: 'ann@example.com',
        state: 'queued',
        subject: expect.stringContaining('cli.example.com'),
      }),
    ]);
    const human = await certbill('mail', 'outbox');
    expect(human.stdout).toContain('queued');
    expect(human.stdout).toContain(
      'Subject: Action needed: certificate for cli.example.com expires on 2026-10-19',
    );
    expect((await certbill('mail', 'outbox', '--state', 'lost', '--json')).exitCode).toBe(2);
  });

  it("sets a client's language and refuses one without templates", async () => {
    const client = await db.kysely.selectFrom('clients').select('id').executeTakeFirstOrThrow();
    const set = await certbill('mail', 'language', String(client.id), 'es', '--json');
    expect(set.json).toEqual({ clientId: client.id, language: 'es' });
    expect(
      (await db.kysely.selectFrom('clients').select('language').executeTakeFirstOrThrow()).language,
    ).toBe('es');
    const refused = await certbill('mail', 'language', String(client.id), 'fr', '--json');
    expect(refused.json.error.code).toBe('NOTIFICATIONS_TEMPLATE_UNKNOWN');
    expect((await certbill('mail', 'language', '999', 'en', '--json')).json.error.code).toBe(
      'BILLING_CLIENT_NOT_FOUND',
    );
  });

  it('round-trips a template: show to a file, set it back edited, refuse a typo, reset', async () => {
    const shown = await certbill('mail', 'templates', 'show', 'certificate-issued', '--language', 'es');
    expect(shown.stdout).toContain('# Variables:');
    const file = path.join(tmp, 'issued.liquid');
    fs.writeFileSync(
      file,
      shown.stdout.replace('Subject: Certificado para', 'Subject: Listo: certificado para'),
    );
    const set = await certbill(
      'mail',
      'templates',
      'set',
      'certificate-issued',
      '--language',
      'es',
      '--file',
      file,
      '--json',
    );
    expect(set.exitCode).toBe(0);
    expect(set.json).toMatchObject({
      source: 'custom',
      subject: expect.stringMatching(/^Listo: certificado para/),
    });

    fs.writeFileSync(file, 'Subject: {{ commonNme }}\n\nbody');
    const refused = await certbill(
      'mail',
      'templates',
      'set',
      'certificate-issued',
      '--language',
      'es',
      '--file',
      file,
      '--json',
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.json.error.code).toBe('NOTIFICATIONS_TEMPLATE_INVALID');

    const list = await certbill('mail', 'templates', 'list', '--json');
    expect(list.json.templates.filter((t: { source: string }) => t.source === 'custom')).toHaveLength(1);
    await certbill('mail', 'templates', 'reset', 'certificate-issued', '--language', 'es');
    const after = await certbill('mail', 'templates', 'list', '--json');
    expect(after.json.templates.every((t: { source: string }) => t.source === 'default')).toBe(true);
  });
});
