import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app-context.ts';
import { listMailOutbox, MAIL_STATES, type MailState } from '../../notifications/mail-outbox.ts';
import {
  getMessageTemplate,
  listMessageTemplates,
  resetMessageTemplate,
  saveMessageTemplate,
} from '../../notifications/message-templates.ts';
import { previewMessageTemplate } from '../../notifications/preview-message-template.ts';
import { authenticate, requireAdmin } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';
import { ErrorBody, List, Nullable } from './billing/schemas.ts';

const OutboxMail = Type.Object(
  {
    id: Type.Integer(),
    notificationId: Nullable(Type.Integer()),
    template: Type.String(),
    language: Type.String(),
    to: Nullable(Type.String()),
    subject: Type.String(),
    text: Type.String(),
    state: Type.String({ description: 'queued, failed (will retry), sent or dead' }),
    attempts: Type.Integer(),
    nextAttemptAt: Type.String({ format: 'date-time' }),
    lastError: Nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    sentAt: Nullable(Type.String({ format: 'date-time' })),
    messageId: Nullable(Type.String()),
  },
  { description: 'One mail of the outbox, rendered from a notification.' },
);

const MessageTemplate = Type.Object(
  {
    template: Type.String(),
    language: Type.String(),
    title: Type.String(),
    audience: Type.String({ description: 'client or department' }),
    source: Type.String({ description: "custom (the admin's version) or default (shipped)" }),
    subject: Type.String({ description: 'Liquid' }),
    body: Type.String({ description: 'Liquid, plain text' }),
    updatedAt: Nullable(Type.String({ format: 'date-time' })),
    variables: List(Type.Object({ name: Type.String(), meaning: Type.String(), example: Type.Unknown() })),
  },
  { description: 'A message template in one language with the variables it may use.' },
);

const TemplateParams = Type.Object({
  template: Type.String({ examples: ['certificate-issued'] }),
  language: Type.String({ examples: ['en', 'es'] }),
});

/**
 * The admin API of mail: the outbox (`GET /api/admin/mail/outbox`) and the message templates
 * (`GET /api/admin/message-templates`, `GET|PUT|DELETE /api/admin/message-templates/:template/:language`;
 * DELETE goes back to the shipped template). Every route needs an admin token.
 * @example const app = await buildApp(ctx, [notificationRoutes]);
 */
export const notificationRoutes: RoutePlugin = async (app: App, ctx: AppContext) => {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as App;
    api.addHook('onRequest', authenticate(ctx));
    api.addHook('preHandler', async (req) => requireAdmin(req));

    api.get(
      '/api/admin/mail/outbox',
      {
        schema: {
          tags: ['mail'],
          summary:
            'List the mail outbox, newest first: what was sent, what waits (no SMTP server) and what died (admin)',
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
            state: Type.Optional(Type.Union(MAIL_STATES.map((s) => Type.Literal(s)))),
          }),
          response: { 200: Type.Object({ mails: List(OutboxMail) }), 400: ErrorBody },
        },
      },
      async (req) => {
        const q = req.query as { limit?: number; state?: MailState };
        return {
          mails: await listMailOutbox(ctx, {
            limit: q.limit ?? 50,
            ...(q.state === undefined ? {} : { state: q.state }),
          }),
        };
      },
    );

    api.get(
      '/api/admin/message-templates',
      {
        schema: {
          tags: ['mail'],
          summary:
            'List every message template in every language, default or custom, with its variables (admin)',
          response: { 200: Type.Object({ templates: List(MessageTemplate) }) },
        },
      },
      async () => ({ templates: await listMessageTemplates(ctx.db.kysely) }),
    );

    api.get(
      '/api/admin/message-templates/:template/:language',
      {
        schema: {
          tags: ['mail'],
          summary: 'Show one message template in one language (admin)',
          params: TemplateParams,
          response: { 200: MessageTemplate, 404: ErrorBody },
        },
      },
      async (req) => getMessageTemplate(ctx.db.kysely, req.params as Static<typeof TemplateParams>),
    );

    api.put(
      '/api/admin/message-templates/:template/:language',
      {
        schema: {
          tags: ['mail'],
          summary:
            'Save a custom message template; it is parsed and rendered with sample variables first, a failing one is refused (admin)',
          params: TemplateParams,
          body: Type.Object(
            { subject: Type.String({ minLength: 1 }), body: Type.String({ minLength: 1 }) },
            { additionalProperties: false },
          ),
          response: { 200: MessageTemplate, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const params = req.params as Static<typeof TemplateParams>;
        const body = req.body as { subject: string; body: string };
        return saveMessageTemplate(ctx.db.kysely, { ...params, ...body, now: ctx.clock.now() });
      },
    );

    api.post(
      '/api/admin/message-templates/:template/:language/preview',
      {
        schema: {
          tags: ['mail'],
          summary:
            'Render a template text with the documented sample variables without saving it; a failing one is refused as saving would (admin)',
          params: TemplateParams,
          body: Type.Object(
            { subject: Type.String({ minLength: 1 }), body: Type.String({ minLength: 1 }) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ subject: Type.String(), text: Type.String() }),
            400: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (req) => {
        const params = req.params as Static<typeof TemplateParams>;
        const body = req.body as { subject: string; body: string };
        const rendered = await previewMessageTemplate({ ...params, ...body });
        return { subject: rendered.subject, text: rendered.text };
      },
    );

    api.delete(
      '/api/admin/message-templates/:template/:language',
      {
        schema: {
          tags: ['mail'],
          summary: 'Drop the custom version of a message template: the shipped one applies again (admin)',
          params: TemplateParams,
          response: { 200: MessageTemplate, 404: ErrorBody },
        },
      },
      async (req) => resetMessageTemplate(ctx.db.kysely, req.params as Static<typeof TemplateParams>),
    );
  });
};
