import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../core/errors/index.ts';
import { formatTemplateFile, parseTemplateFile } from '../../notifications/default-message-template.ts';
import {
  listMailOutbox,
  MAIL_STATES,
  type MailState,
  type OutboxMail,
} from '../../notifications/mail-outbox.ts';
import {
  getMessageTemplate,
  listMessageTemplates,
  resetMessageTemplate,
  saveMessageTemplate,
  type MessageTemplateView,
} from '../../notifications/message-templates.ts';
import { setClientLanguage } from '../../notifications/set-client-language.ts';
import { withOutput, type OutputOptions } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface OutboxOptions extends OutputOptions {
  limit?: string;
  state?: string;
}

interface TemplateOptions extends OutputOptions {
  language?: string;
  file?: string;
}

/**
 * `certbill mail outbox`, `certbill mail language` and `certbill mail templates list|show|set|reset`.
 * @example certbill mail outbox --limit 5 --json → {"mails":[{"id":3,"to":"ann@example.com","subject":"…","state":"queued",…}]}
 * @example certbill mail templates set certificate-issued --language es --file issued.liquid
 */
export function registerMailCommands(program: Command): void {
  const mail = program.command('mail').description('Notification mail: the outbox and the message templates');

  mail
    .command('outbox')
    .description('Show the mail outbox, newest first (without SmtpUrl the mail waits here as queued)')
    .option('--limit <n>', 'at most this many mails (default 20)')
    .option('--state <state>', `only mails in this state: ${MAIL_STATES.join(', ')}`)
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: OutboxOptions) => {
          const limit = readLimit(opts.limit);
          const state = readState(opts.state);
          const mails = await withAppContext((ctx) =>
            listMailOutbox(ctx, { limit, ...(state ? { state } : {}) }),
          );
          return { mails };
        },
        (r: { mails: OutboxMail[] }) => renderOutbox(r.mails),
      ),
    );

  mail
    .command('language <clientId> <language>')
    .description("Set the language of a client's messages (en or es; English is the fallback)")
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: OutputOptions, clientId: string, language: string) => {
          if (!/^[1-9]\d*$/.test(clientId)) {
            throw new AppError('CORE_VALIDATION', `${clientId} is not a client id.`, { option: 'clientId' });
          }
          return withAppContext((ctx) => setClientLanguage(ctx, { clientId: Number(clientId), language }));
        },
        (r: { clientId: number; language: string }) =>
          `Client ${r.clientId} gets its messages in ${r.language}.`,
      ),
    );

  const templates = mail.command('templates').description('Message templates (Liquid), per language');

  templates
    .command('list')
    .description('List every template in every language and whether it is the default or custom')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async () => ({ templates: await withAppContext((ctx) => listMessageTemplates(ctx.db.kysely)) }),
        (r: { templates: MessageTemplateView[] }) =>
          r.templates
            .map((t) => `${t.template.padEnd(32)} ${t.language}  ${t.source.padEnd(7)}  ${t.title}`)
            .join('\n'),
      ),
    );

  templates
    .command('show <template>')
    .description('Print a template in its file form (Subject: line, empty line, body) and its variables')
    .option('--language <language>', 'en or es (default en)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: TemplateOptions, template: string) =>
          withAppContext((ctx) =>
            getMessageTemplate(ctx.db.kysely, { template, language: opts.language ?? 'en' }),
          ),
        renderTemplate,
      ),
    );

  templates
    .command('set <template>')
    .description(
      'Save a custom template from a file (first line "Subject: …", an empty line, the body); refused if it does not render',
    )
    .requiredOption('--file <path>', 'the template file')
    .option('--language <language>', 'en or es (default en)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: TemplateOptions, template: string) => {
          const path = opts.file ?? '';
          if (!fs.existsSync(path)) {
            throw new AppError('CORE_VALIDATION', `--file ${path} does not exist.`, { option: '--file' });
          }
          const source = parseTemplateFile(fs.readFileSync(path, 'utf8'), path);
          return withAppContext((ctx) =>
            saveMessageTemplate(ctx.db.kysely, {
              template,
              language: opts.language ?? 'en',
              subject: source.subject,
              body: source.body,
              now: ctx.clock.now(),
            }),
          );
        },
        (t: MessageTemplateView) =>
          `Saved ${t.template} (${t.language}); it applies to messages rendered from now on.`,
      ),
    );

  templates
    .command('reset <template>')
    .description('Drop the custom version: the shipped template applies again')
    .option('--language <language>', 'en or es (default en)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: TemplateOptions, template: string) =>
          withAppContext((ctx) =>
            resetMessageTemplate(ctx.db.kysely, { template, language: opts.language ?? 'en' }),
          ),
        (t: MessageTemplateView) => `${t.template} (${t.language}) is the default template again.`,
      ),
    );
}

function readLimit(raw: string | undefined): number {
  if (raw === undefined) return 20;
  if (!/^[1-9]\d{0,3}$/.test(raw.trim())) {
    throw new AppError('CORE_VALIDATION', `--limit ${raw} is not a count: use a whole number 1..9999.`, {
      option: '--limit',
    });
  }
  return Number(raw.trim());
}

function readState(raw: string | undefined): MailState | undefined {
  if (raw === undefined) return undefined;
  const state = MAIL_STATES.find((s) => s === raw.trim());
  if (!state) {
    throw new AppError(
      'CORE_VALIDATION',
      `--state ${raw} is not known; allowed: ${MAIL_STATES.join(', ')}.`,
      {
        option: '--state',
      },
    );
  }
  return state;
}

function renderOutbox(mails: readonly OutboxMail[]): string {
  if (mails.length === 0) return 'The outbox is empty.';
  return mails
    .map((m) => {
      const head = `#${m.id} ${m.state}${m.attempts > 0 ? ` after ${m.attempts} tries` : ''}  ${m.createdAt}  to ${m.to ?? '(nobody)'}`;
      const error = m.lastError ? `\n  last error: ${m.lastError}` : '';
      return `${head}\n  Subject: ${m.subject}${error}\n\n${m.text.replace(/^/gm, '  ')}`;
    })
    .join('\n');
}

function renderTemplate(t: MessageTemplateView): string {
  const variables = t.variables.map((v) => `#   ${v.name}: ${v.meaning}`).join('\n');
  return `# ${t.template} (${t.language}, ${t.source}) — ${t.title}\n# Variables:\n${variables}\n${formatTemplateFile(t)}`;
}
