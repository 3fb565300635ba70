import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { isAppError } from '../../core/errors/index.ts';
import { getOutboxMail } from '../../notifications/get-outbox-mail.ts';
import { listMailOutbox, MAIL_STATES, type MailState } from '../../notifications/mail-outbox.ts';
import { sampleVariables, type MessageTemplateId } from '../../notifications/message-template-catalogue.ts';
import {
  getMessageTemplate,
  listMessageTemplates,
  renderMessage,
  resetMessageTemplate,
  saveMessageTemplate,
  type MessageTemplateView,
} from '../../notifications/message-templates.ts';
import { previewMessageTemplate } from '../../notifications/preview-message-template.ts';
import type { RenderedMessage } from '../../notifications/render-template-source.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { formErrorOf, formOf, idParam, textField } from './panel-form.ts';

/** Mails per page of the outbox. */
export const OUTBOX_PAGE_SIZE = 50;

type TemplateParams = { Params: { template: string; language: string } };

/** A refused template: the engine's message and the part it is about (subject or body). */
interface TemplateProblem {
  readonly field: 'subject' | 'body';
  readonly message: string;
}

function problemOf(e: unknown): { problem: TemplateProblem; status: number } {
  const error = formErrorOf(e);
  const where = isAppError(e) && typeof e.details['where'] === 'string' ? e.details['where'] : error.message;
  return {
    status: error.status,
    problem: { field: /^the subject/i.test(where) ? 'subject' : 'body', message: error.message },
  };
}

async function renderEditor(
  reply: FastifyReply,
  ctx: AppContext,
  template: MessageTemplateView,
  typed: { subject: string; body: string } | null,
  outcome: { preview: RenderedMessage | null; problem: TemplateProblem | null; status?: number },
): Promise<FastifyReply> {
  // Without typed text, the preview is the stored template rendered as messages are.
  let preview = outcome.preview;
  if (preview === null && typed === null) {
    try {
      preview = await renderMessage(ctx.db.kysely, {
        template: template.template,
        language: template.language,
        variables: sampleVariables(template.template as MessageTemplateId),
      });
    } catch (e) {
      formErrorOf(e); // an AppError leaves the preview empty; anything else is a 500 page
    }
  }
  return render(
    reply,
    'admin/message-template',
    {
      template,
      subject: typed?.subject ?? template.subject,
      body: typed?.body ?? template.body,
      edited: typed !== null,
      preview,
      problem: outcome.problem,
      variables: template.variables.map((v) => ({ ...v, example: JSON.stringify(v.example) })),
      base: `/admin/message-templates/${template.template}/${template.language}`,
    },
    { status: outcome.status ?? 200, title: `${template.title} (${template.language})` },
  );
}

/**
 * Settings → Message templates (`/admin/message-templates`, also reached as `/admin/templates`):
 * every template in every language with its source (default or custom); editing subject and body
 * with a preview over the sample variables; saving (a template that does not render is refused
 * with the engine's message beside the field); resetting to the shipped template. The mail outbox
 * (`/admin/mail-outbox`) lists what was sent or waits, read-only, with each message's text.
 */
export const messageTemplatePages: PanelPage = (scope, ctx) => {
  scope.get('/templates', async (_req, reply) => reply.redirect('/admin/message-templates', 302));

  scope.get('/message-templates', async (_req, reply) =>
    render(
      reply,
      'admin/message-templates',
      { templates: await listMessageTemplates(ctx.db.kysely) },
      { title: 'Message templates' },
    ),
  );

  scope.get<TemplateParams>('/message-templates/:template/:language', async (req, reply) => {
    const template = await getMessageTemplate(ctx.db.kysely, req.params);
    return renderEditor(reply, ctx, template, null, { preview: null, problem: null });
  });

  scope.post<TemplateParams>('/message-templates/:template/:language/preview', async (req, reply) => {
    const template = await getMessageTemplate(ctx.db.kysely, req.params);
    const body = formOf(req);
    const typed = { subject: textField(body, 'subject'), body: textField(body, 'body') };
    try {
      const preview = await previewMessageTemplate({ ...req.params, ...typed });
      return await renderEditor(reply, ctx, template, typed, { preview, problem: null });
    } catch (e) {
      const { problem, status } = problemOf(e);
      return renderEditor(reply, ctx, template, typed, { preview: null, problem, status });
    }
  });

  scope.post<TemplateParams>('/message-templates/:template/:language', async (req, reply) => {
    const template = await getMessageTemplate(ctx.db.kysely, req.params);
    const body = formOf(req);
    const typed = { subject: textField(body, 'subject'), body: textField(body, 'body') };
    try {
      const saved = await saveMessageTemplate(ctx.db.kysely, {
        ...req.params,
        ...typed,
        now: ctx.clock.now(),
      });
      await setFlash(reply, 'success', `Template "${saved.title}" (${saved.language}) saved.`);
      return reply.redirect(`/admin/message-templates/${saved.template}/${saved.language}`, 303);
    } catch (e) {
      const { problem, status } = problemOf(e);
      return renderEditor(reply, ctx, template, typed, { preview: null, problem, status });
    }
  });

  scope.post<TemplateParams>('/message-templates/:template/:language/reset', async (req, reply) => {
    const reset = await resetMessageTemplate(ctx.db.kysely, req.params);
    await setFlash(reply, 'success', `Template "${reset.title}" (${reset.language}) is the default again.`);
    return reply.redirect(`/admin/message-templates/${reset.template}/${reset.language}`, 303);
  });

  scope.get<{ Querystring: { state?: string } }>('/mail-outbox', async (req, reply) => {
    const state = (MAIL_STATES as readonly string[]).includes(req.query.state ?? '')
      ? (req.query.state as MailState)
      : null;
    const mails = await listMailOutbox(ctx, { limit: OUTBOX_PAGE_SIZE, ...(state ? { state } : {}) });
    return render(
      reply,
      'admin/mail-outbox',
      { mails, state: state ?? '', states: MAIL_STATES, pageSize: OUTBOX_PAGE_SIZE },
      { title: 'Mail outbox' },
    );
  });

  scope.get<{ Params: { id: string } }>('/mail-outbox/:id', async (req, reply) => {
    const mail = await getOutboxMail(ctx, idParam(req.params.id, 'This mail'));
    return render(reply, 'admin/mail', { mail }, { title: mail.subject });
  });
};
