import type { AppContext } from '../app-context.ts';
import type { JobHandlers } from '../jobs/job-handlers.ts';
import { drainMailOutbox } from './mail-outbox.ts';
import { scanEndingSubscriptions } from './scan-ending-subscriptions.ts';
import { createSmtpMailer, type Mailer } from './smtp-mailer.ts';

/** The periodic job that renders recorded notifications into the outbox and sends due mail. */
export const MAIL_OUTBOX_JOB = 'mail-outbox';
/** The periodic job that offers renewal to subscriptions ending soon. */
export const SUBSCRIPTION_ENDING_SCAN_JOB = 'subscription-ending-scan';

export interface NotificationJobDeps {
  /** null: no SMTP server configured, mail stays queued in the outbox. */
  readonly mailer: Mailer | null;
  readonly mailFrom: string;
  /** How often the outbox runs (default 1 min). */
  readonly outboxIntervalMs?: number;
  /** How often ending subscriptions are looked for (default 1 h). */
  readonly endingScanIntervalMs?: number;
}

/**
 * The notification jobs' dependencies from the configuration: an SMTP mailer when `SmtpUrl` is
 * set, else none (the demo keeps its mail in the outbox).
 * @example registerNotificationJobs(handlers, notificationJobDeps(ctx));
 */
export function notificationJobDeps(ctx: Pick<AppContext, 'config'>): NotificationJobDeps {
  return {
    mailer: ctx.config.smtpUrl ? createSmtpMailer(ctx.config.smtpUrl) : null,
    mailFrom: ctx.config.mailFrom,
  };
}

/**
 * Registers the periodic `mail-outbox` (every minute) and `subscription-ending-scan` (hourly).
 * @example registerNotificationJobs(handlers, { mailer: createSmtpMailer(url), mailFrom: 'billing@example.com' });
 */
export function registerNotificationJobs(handlers: JobHandlers, deps: NotificationJobDeps): JobHandlers {
  handlers.register(MAIL_OUTBOX_JOB, async (_job, app) => {
    await drainMailOutbox(app, { mailer: deps.mailer, from: deps.mailFrom });
  });
  handlers.every(MAIL_OUTBOX_JOB, deps.outboxIntervalMs ?? 60_000);
  handlers.register(SUBSCRIPTION_ENDING_SCAN_JOB, async (_job, app) => {
    await scanEndingSubscriptions(app);
  });
  handlers.every(SUBSCRIPTION_ENDING_SCAN_JOB, deps.endingScanIntervalMs ?? 3_600_000);
  return handlers;
}
