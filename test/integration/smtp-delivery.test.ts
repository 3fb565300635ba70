import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobHandlers } from '../../src/jobs/job-handlers.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { runDueJobs } from '../../src/jobs/run-due-jobs.ts';
import { listMailOutbox, MAIL_DEAD_TASK, MAIL_MAX_ATTEMPTS } from '../../src/notifications/mail-outbox.ts';
import { registerNotificationJobs } from '../../src/notifications/register-notification-jobs.ts';
import { createSmtpMailer, type Mailer } from '../../src/notifications/smtp-mailer.ts';
import { recordClientNotification } from '../../src/subscriptions/record-client-notification.ts';
import { subscriptionsKysely } from '../../src/subscriptions/subscriptions-kysely.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { builders, uniqueEmail } from '../support/builders.ts';
import { testDialects } from '../support/databases.ts';

interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

/** Undoes quoted-printable (soft breaks and =XX), enough to read a text body back. */
function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('notification mail over SMTP', () => {
  const received: Received[] = [];
  const logins: string[] = [];
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    server = new SMTPServer({
      // Plain AUTH over loopback, no TLS: the test server only.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth(auth, _session, callback) {
        logins.push(`${auth.username}:${auth.password}`);
        if (auth.username === 'mailer' && auth.password === 's3cret pass') callback(null, { user: 'mailer' });
        else callback(new Error('535 authentication failed'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('refuse-')) {
          const error = new Error(`<${address.address}>: mailbox unavailable`) as Error & {
            responseCode: number;
          };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
      logger: false,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  describe.each(testDialects())('on %s', (dialect) => {
    let ctx: TestContext;
    let mailer: Mailer;
    let handlers: JobHandlers;
    beforeEach(async () => {
      received.length = 0;
      ctx = await createTestContext(dialect);
      mailer = createSmtpMailer(`smtp://mailer:${encodeURIComponent('s3cret pass')}@127.0.0.1:${port}`, {
        timeoutMs: 5_000,
      });
      handlers = registerNotificationJobs(new JobHandlers(), { mailer, mailFrom: 'billing@example.com' });
    });
    afterEach(async () => {
      mailer.close();
      await ctx.drop();
    });

    async function issuedNotice(email: string): Promise<number> {
      const make = builders(ctx);
      const client = await make.client({ name: 'Example Ltd', email, balance: '100.00' });
      const tariff = await make.tariff();
      const order = await make.order({ clientId: client.id, tariffId: tariff.id, cn: 'mail.example.com' });
      await recordClientNotification(subscriptionsKysely(ctx.db.kysely), {
        clientId: client.id,
        serviceId: order.serviceId,
        generationId: 1,
        template: 'certificate-issued',
        variables: {
          commonName: 'mail.example.com',
          caOrderId: 'CESM2604020042',
          expirationDate: '2026-10-19',
          actionNeeded: false,
          names: [],
        },
        now: ctx.clock.now(),
      });
      return order.serviceId;
    }

    it('delivers a recorded notification through the outbox job to a real SMTP server', async () => {
      const to = uniqueEmail('ann');
      const serviceId = await issuedNotice(to);
      const run = await runDueJobs(ctx, handlers, { now: ctx.clock.now() });
      expect(run.ran.find((r) => r.kind === 'mail-outbox')?.outcome).toBe('done');

      expect(received).toHaveLength(1);
      const mail = received[0]!;
      expect(mail.from).toBe('billing@example.com');
      expect(mail.to).toEqual([to]);
      expect(mail.raw).toMatch(
        /^Subject: Certificate for mail\.example\.com issued \(order CESM2604020042\)\r?$/m,
      );
      expect(mail.raw).toMatch(new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}\\r?$`, 'm'));
      expect(mail.raw).toMatch(/^X-Certbill-Template: certificate-issued\r?$/m);
      const body = decodeQuotedPrintable(mail.raw.slice(mail.raw.search(/\r?\n\r?\n/)));
      expect(body).toContain(`Service:          ${serviceId}`);
      expect(body).toContain('No action is needed from you');
      expect(logins).toContain('mailer:s3cret pass');

      const [row] = await listMailOutbox(ctx);
      expect(row).toMatchObject({ state: 'sent', attempts: 1, to });
      expect(row!.messageId).toMatch(/^<.+>$/);
      expect(mail.raw).toContain(`Message-ID: ${row!.messageId}`);
    });

    it('retries a recipient the server refuses, then gives up and opens a task', async () => {
      await issuedNotice(uniqueEmail('refuse-bob'));
      await runDueJobs(ctx, handlers, { now: ctx.clock.now() });
      let [row] = await listMailOutbox(ctx);
      expect(row).toMatchObject({ state: 'failed', attempts: 1 });
      expect(row!.lastError).toMatch(/550/);
      expect(row!.lastError).not.toContain('s3cret');

      for (let i = 0; i < MAIL_MAX_ATTEMPTS && row!.state === 'failed'; i++) {
        ctx.clock.set(row!.nextAttemptAt);
        await runDueJobs(ctx, handlers, { now: ctx.clock.now() });
        [row] = await listMailOutbox(ctx);
      }
      expect(row).toMatchObject({ state: 'dead', attempts: MAIL_MAX_ATTEMPTS });
      // 1 + 2 + 4 + … minutes between the tries.
      expect(new Date(row!.nextAttemptAt).getTime() - new Date('2026-04-02T12:00:00Z').getTime()).toBe(
        (2 ** (MAIL_MAX_ATTEMPTS - 1) - 1) * 60_000,
      );
      expect(received).toHaveLength(0);
      const tasks = await listTasks(ctx.db, { state: 'open' });
      expect(tasks.map((t) => t.kind)).toContain(MAIL_DEAD_TASK);
    });
  });
});
