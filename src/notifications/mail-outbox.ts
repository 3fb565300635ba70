import type { Selectable } from 'kysely';
import type { AppContext } from '../app-context.ts';
import { isAppError } from '../core/errors/index.ts';
import type { MailOutboxTable } from '../db/schema-notifications.ts';
import type { NotificationsTable } from '../db/schema-subscriptions.ts';
import { formatUtcDate } from '../domain/utc-date.ts';
import { openTask } from '../jobs/open-task.ts';
import { isMessageTemplateId } from './message-template-catalogue.ts';
import { renderMessage } from './message-templates.ts';
import type { Mailer } from './smtp-mailer.ts';
import { validationVariables, type ValidationInstructionsLike } from './validation-variables.ts';
import { readJsonColumn } from '../db/json-column.ts';

export const MAIL_STATES = ['queued', 'failed', 'sent', 'dead'] as const;
export type MailState = (typeof MAIL_STATES)[number];

/** Tries per mail before it is dead (and a task opens): 1 min, 2, 4 … 64 min apart, about 2 h in all. */
export const MAIL_MAX_ATTEMPTS = 8;
/** The wait after the first failed try; it doubles after each, up to `MAIL_MAX_RETRY_DELAY_MS`. */
export const MAIL_RETRY_BASE_MS = 60_000;
export const MAIL_MAX_RETRY_DELAY_MS = 4 * 3_600_000;
/** How long a claimed mail is left to its sender before another instance may try it again. */
const CLAIM_LEASE_MS = 10 * 60_000;
/**
 * How long a validation notice waits for the CA's instructions (a reissue is told to validate
 * before it is placed; the instructions come with the CA's answer) before it goes without them.
 */
export const VALIDATION_INSTRUCTIONS_WAIT_MS = 3_600_000;

/** The task opened when a mail cannot be delivered. */
export const MAIL_DEAD_TASK = 'mail-undeliverable';

export type OutboxContext = Pick<AppContext, 'db' | 'clock'>;

/** One mail of the outbox, as the admin reads it. */
export interface OutboxMail {
  readonly id: number;
  readonly notificationId: number | null;
  readonly template: string;
  readonly language: string;
  readonly to: string | null;
  readonly subject: string;
  readonly text: string;
  readonly state: MailState;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly messageId: string | null;
}

export interface SendOptions {
  readonly mailer: Mailer | null;
  readonly from: string;
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Mails per run (default 100). */
  readonly batchSize?: number;
}

export interface DrainResult {
  /** Notifications rendered into the outbox. */
  readonly queued: number;
  readonly sent: number;
  readonly failed: number;
  readonly dead: number;
}

/**
 * One run of the outbox: renders recorded notifications into mails, then sends the mails that are
 * due. Without a mailer (no `SmtpUrl`) mails stay `queued`, readable with `certbill mail outbox`.
 * @example await drainMailOutbox(ctx, { mailer, from: 'billing@example.com' }) → { queued: 2, sent: 2, failed: 0, dead: 0 }
 */
export async function drainMailOutbox(ctx: OutboxContext, opts: SendOptions): Promise<DrainResult> {
  const queued = await queueNotificationMail(ctx, { batchSize: opts.batchSize ?? 100 });
  const sent = await sendDueMail(ctx, opts);
  return { queued, ...sent };
}

/**
 * Renders each recorded, unsent notification that has no mail yet into the outbox, in the
 * recipient's language (the client's; English for a Department), to the client's first user or
 * the Department's address. A notification with no address, or whose template no longer renders,
 * becomes a `dead` mail with a task. Safe with several instances (one mail per notification).
 * @example await queueNotificationMail(ctx) → 3
 */
export async function queueNotificationMail(
  ctx: OutboxContext,
  opts: { readonly batchSize?: number } = {},
): Promise<number> {
  const k = ctx.db.kysely;
  const now = ctx.clock.now();
  const pending = await k
    .selectFrom('notifications')
    .selectAll()
    .where('sent_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mail_outbox')
            .select('mail_outbox.id')
            .whereRef('mail_outbox.notification_id', '=', 'notifications.id'),
        ),
      ),
    )
    .orderBy('id')
    .limit(opts.batchSize ?? 100)
    .execute();
  let queued = 0;
  for (const n of pending) {
    const prepared = await prepareMail(ctx, n, now);
    if (prepared === 'wait') continue;
    const inserted = await k
      .insertInto('mail_outbox')
      .values({
        notification_id: Number(n.id),
        template: n.template,
        language: prepared.language,
        to_address: prepared.to,
        subject: prepared.subject,
        text: prepared.text,
        state: prepared.problem ? 'dead' : 'queued',
        next_attempt_at: now.toISOString(),
        last_error: prepared.problem,
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('notification_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) continue;
    queued += 1;
    if (prepared.problem) {
      await openDeadMailTask(ctx, {
        id: Number(inserted.id),
        template: n.template,
        to: prepared.to,
        subject: prepared.subject,
        lastError: prepared.problem,
        departmentId: await departmentOfNotification(ctx, n),
      });
    }
  }
  return queued;
}

type NotificationRow = Selectable<NotificationsTable>;

interface PreparedMail {
  readonly to: string | null;
  readonly language: string;
  readonly subject: string;
  readonly text: string;
  /** Why it cannot be sent (no address, the template fails); null when it can. */
  readonly problem: string | null;
}

async function prepareMail(
  ctx: OutboxContext,
  n: NotificationRow,
  now: Date,
): Promise<PreparedMail | 'wait'> {
  const k = ctx.db.kysely;
  const variables: Record<string, unknown> = {
    ...(readJsonColumn<Record<string, unknown>>(n.variables) ?? {}),
  };
  let to: string | null = n.recipient_email;
  let language = 'en';
  if (n.client_id !== null) {
    const client = await k
      .selectFrom('clients')
      .select(['name', 'language'])
      .where('id', '=', Number(n.client_id))
      .executeTakeFirst();
    variables['clientName'] ??= client?.name ?? null;
    language = client?.language ?? 'en';
    if (!to) {
      const user = await k
        .selectFrom('client_users')
        .select('email')
        .where('client_id', '=', Number(n.client_id))
        .orderBy('id')
        .executeTakeFirst();
      to = user?.email ?? null;
    }
  }
  if (n.department_id !== null) {
    const department = await k
      .selectFrom('departments')
      .select(['name', 'email'])
      .where('id', '=', Number(n.department_id))
      .executeTakeFirst();
    variables['departmentName'] ??= department?.name ?? null;
    to = department?.email ?? to;
  }
  if (n.service_id !== null) {
    const service = await k
      .selectFrom('services')
      .innerJoin('clients', 'clients.id', 'services.client_id')
      .select(['services.id', 'services.common_name', 'services.paid_until', 'clients.name as client_name'])
      .where('services.id', '=', Number(n.service_id))
      .executeTakeFirst();
    variables['clientName'] ??= service?.client_name ?? null;
    variables['serviceId'] ??= service ? Number(service.id) : null;
    variables['commonName'] ??= service?.common_name ?? null;
    variables['paidUntil'] ??= service?.paid_until ? formatUtcDate(new Date(service.paid_until)) : null;
  }
  const given = variables['validation'] as { readonly method?: unknown } | null | undefined;
  if (n.template === 'certificate-validation-required' && n.generation_id !== null && !given?.method) {
    const generation = await k
      .selectFrom('certificate_generations')
      .select(['state', 'validation'])
      .where('id', '=', Number(n.generation_id))
      .executeTakeFirst();
    const instructions = readJsonColumn<ValidationInstructionsLike>(generation?.validation);
    const waiting = generation !== undefined && ['intent', 'ordered'].includes(generation.state);
    if (
      !instructions &&
      waiting &&
      now.getTime() - new Date(n.created_at).getTime() < VALIDATION_INSTRUCTIONS_WAIT_MS
    ) {
      return 'wait';
    }
    variables['validation'] = validationVariables(instructions);
  }
  if (!isMessageTemplateId(n.template)) {
    return {
      to,
      language,
      subject: `(${n.template})`,
      text: '',
      problem: `No message template ${n.template}.`,
    };
  }
  try {
    const rendered = await renderMessage(k, { template: n.template, language, variables });
    const problem = to
      ? null
      : `Nobody to send it to: ${n.client_id !== null ? `client ${n.client_id} has no user with an e-mail address` : `Department ${n.department_id} has no e-mail address`}.`;
    return { to, language: rendered.language, subject: rendered.subject, text: rendered.text, problem };
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { to, language, subject: `(${n.template} could not be rendered)`, text: '', problem: e.message };
  }
}

/**
 * Sends the mails that are due, each claimed first (a conditional update) so that several
 * instances never send one mail at the same time. A failed try is retried after
 * `retryBaseMs × 2^(tries-1)` (at most `maxRetryDelayMs`); after `maxAttempts` the mail is `dead`
 * and a task opens. Without a mailer nothing is tried.
 * @example await sendDueMail(ctx, { mailer, from: 'billing@example.com' }) → { sent: 1, failed: 0, dead: 0 }
 */
export async function sendDueMail(
  ctx: OutboxContext,
  opts: SendOptions,
): Promise<{ sent: number; failed: number; dead: number }> {
  const result = { sent: 0, failed: 0, dead: 0 };
  if (!opts.mailer) return result;
  const maxAttempts = opts.maxAttempts ?? MAIL_MAX_ATTEMPTS;
  const k = ctx.db.kysely;
  const due = await k
    .selectFrom('mail_outbox')
    .selectAll()
    .where('state', 'in', ['queued', 'failed'])
    .where('next_attempt_at', '<=', ctx.clock.now().toISOString())
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(opts.batchSize ?? 100)
    .execute();
  for (const mail of due) {
    const claimed = await k
      .updateTable('mail_outbox')
      .set({
        attempts: mail.attempts + 1,
        next_attempt_at: new Date(ctx.clock.now().getTime() + CLAIM_LEASE_MS).toISOString(),
      })
      .where('id', '=', mail.id)
      .where('state', '=', mail.state)
      .where('attempts', '=', mail.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const attempts = mail.attempts + 1;
    try {
      const { messageId } = await opts.mailer.send({
        from: opts.from,
        to: mail.to_address ?? '',
        subject: mail.subject,
        text: mail.text,
        headers: { 'X-Certbill-Template': mail.template },
      });
      const sentAt = ctx.clock.now().toISOString();
      await k.transaction().execute(async (trx) => {
        await trx
          .updateTable('mail_outbox')
          .set({ state: 'sent', sent_at: sentAt, message_id: messageId || null, last_error: null })
          .where('id', '=', mail.id)
          .execute();
        if (mail.notification_id !== null) {
          await trx
            .updateTable('notifications')
            .set({ sent_at: sentAt })
            .where('id', '=', Number(mail.notification_id))
            .execute();
        }
      });
      result.sent += 1;
    } catch (e) {
      const lastError = (e instanceof Error ? e.message : String(e)).slice(0, 2000);
      const now = ctx.clock.now();
      if (attempts >= maxAttempts) {
        await k
          .updateTable('mail_outbox')
          .set({ state: 'dead', last_error: lastError, next_attempt_at: now.toISOString() })
          .where('id', '=', mail.id)
          .execute();
        await openDeadMailTask(ctx, {
          id: Number(mail.id),
          template: mail.template,
          to: mail.to_address,
          subject: mail.subject,
          lastError: `${lastError} (after ${attempts} tries)`,
          departmentId: await departmentOfMail(ctx, mail),
        });
        result.dead += 1;
      } else {
        const delay = Math.min(
          (opts.retryBaseMs ?? MAIL_RETRY_BASE_MS) * 2 ** (attempts - 1),
          opts.maxRetryDelayMs ?? MAIL_MAX_RETRY_DELAY_MS,
        );
        await k
          .updateTable('mail_outbox')
          .set({
            state: 'failed',
            last_error: lastError,
            next_attempt_at: new Date(now.getTime() + delay).toISOString(),
          })
          .where('id', '=', mail.id)
          .execute();
        result.failed += 1;
      }
    }
  }
  return result;
}

/**
 * The outbox, newest first.
 * @example await listMailOutbox(ctx, { limit: 20, state: 'queued' }) → [{ id: 4, to: 'ann@example.com', subject: '…', state: 'queued', … }]
 */
export async function listMailOutbox(
  ctx: Pick<AppContext, 'db'>,
  filter: { readonly limit?: number; readonly state?: MailState } = {},
): Promise<OutboxMail[]> {
  const rows = await ctx.db.kysely
    .selectFrom('mail_outbox')
    .selectAll()
    .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state ?? 'queued'))
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 50)
    .execute();
  return rows.map(toOutboxMail);
}

/** A row of `mail_outbox` as the API, CLI and panel read it. */
export function toOutboxMail(r: Selectable<MailOutboxTable>): OutboxMail {
  return {
    id: Number(r.id),
    notificationId: r.notification_id === null ? null : Number(r.notification_id),
    template: r.template,
    language: r.language,
    to: r.to_address,
    subject: r.subject,
    text: r.text,
    state: r.state as MailState,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    messageId: r.message_id,
  };
}

async function openDeadMailTask(
  ctx: OutboxContext,
  mail: {
    readonly id: number;
    readonly template: string;
    readonly to: string | null;
    readonly subject: string;
    readonly lastError: string;
    readonly departmentId: number | null;
  },
): Promise<void> {
  await openTask(ctx.db, {
    kind: MAIL_DEAD_TASK,
    title: `Mail ${mail.id} (${mail.template}) to ${mail.to ?? 'nobody'} could not be delivered`,
    body: `"${mail.subject}": ${mail.lastError} Check the SMTP settings (SmtpUrl, MailFrom) and the address; certbill mail outbox shows the mail.`,
    related: `mail:${mail.id}`,
    dedupeKey: `${MAIL_DEAD_TASK}:mail:${mail.id}`,
    departmentId: mail.departmentId,
    now: ctx.clock.now(),
  });
}

async function departmentOfMail(
  ctx: OutboxContext,
  mail: Selectable<MailOutboxTable>,
): Promise<number | null> {
  if (mail.notification_id === null) return null;
  const n = await ctx.db.kysely
    .selectFrom('notifications')
    .selectAll()
    .where('id', '=', Number(mail.notification_id))
    .executeTakeFirst();
  return n ? departmentOfNotification(ctx, n) : null;
}

/** A Department's own message goes back to it; a client's to the Department of its certificate's module. */
async function departmentOfNotification(ctx: OutboxContext, n: NotificationRow): Promise<number | null> {
  if (n.department_id !== null) return Number(n.department_id);
  if (n.service_id === null) return null;
  const row = await ctx.db.kysely
    .selectFrom('certificate_generations')
    .innerJoin('processing_modules', 'processing_modules.id', 'certificate_generations.module_id')
    .select('processing_modules.department_id')
    .where('certificate_generations.service_id', '=', Number(n.service_id))
    .orderBy('certificate_generations.seq', 'desc')
    .executeTakeFirst();
  return row?.department_id === null || row?.department_id === undefined ? null : Number(row.department_id);
}
