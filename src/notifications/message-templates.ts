import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Database } from '../db/schema.ts';
import { defaultMessageTemplate, type TemplateSource } from './default-message-template.ts';
import {
  completeVariables,
  FALLBACK_LANGUAGE,
  isMessageLanguage,
  isMessageTemplateId,
  MESSAGE_LANGUAGES,
  MESSAGE_TEMPLATE_SPECS,
  MESSAGE_TEMPLATES,
  sampleVariables,
  type MessageLanguage,
  type MessageTemplateId,
  type TemplateVariable,
} from './message-template-catalogue.ts';
import { renderTemplateSource, type RenderedMessage } from './render-template-source.ts';

/** One template in one language, as the admin sees and edits it. */
export interface MessageTemplateView {
  readonly template: MessageTemplateId;
  readonly language: MessageLanguage;
  readonly title: string;
  readonly audience: 'client' | 'department';
  /** `custom`: the admin's version stored in the database; `default`: the shipped file. */
  readonly source: 'default' | 'custom';
  readonly subject: string;
  readonly body: string;
  readonly updatedAt: string | null;
  readonly variables: readonly TemplateVariable[];
}

const MAX_SUBJECT = 998;
const MAX_BODY = 100_000;

/**
 * Every template in every language, with its source and documented variables.
 * @example await listMessageTemplates(db.kysely) → [{ template: 'certificate-issued', language: 'en', source: 'default', … }, …]
 */
export async function listMessageTemplates(k: Kysely<Database>): Promise<MessageTemplateView[]> {
  const rows = await k.selectFrom('message_templates').selectAll().execute();
  const custom = new Map(rows.map((r) => [`${r.template}/${r.language}`, r]));
  const views: MessageTemplateView[] = [];
  for (const template of MESSAGE_TEMPLATES) {
    for (const language of MESSAGE_LANGUAGES) {
      const row = custom.get(`${template}/${language}`);
      const fallback = defaultOrEnglish(template, language);
      views.push(
        viewOf(
          template,
          language,
          row ? { subject: row.subject, body: row.body } : fallback,
          row?.updated_at ?? null,
        ),
      );
    }
  }
  return views;
}

/**
 * One template in one language.
 * @example await getMessageTemplate(db.kysely, { template: 'certificate-issued', language: 'es' }) → { source: 'default', … }
 */
export async function getMessageTemplate(
  k: Kysely<Database>,
  input: { readonly template: string; readonly language: string },
): Promise<MessageTemplateView> {
  const { template, language } = checkKey(input);
  const row = await k
    .selectFrom('message_templates')
    .selectAll()
    .where('template', '=', template)
    .where('language', '=', language)
    .executeTakeFirst();
  return viewOf(
    template,
    language,
    row ? { subject: row.subject, body: row.body } : defaultOrEnglish(template, language),
    row?.updated_at ?? null,
  );
}

/**
 * Stores the admin's version of a template after parsing and rendering it with the documented
 * sample variables; a template that fails is refused (`NOTIFICATIONS_TEMPLATE_INVALID`, nothing
 * saved). Messages recorded from then on use it.
 * @example await saveMessageTemplate(db.kysely, { template: 'certificate-issued', language: 'en',
 *   subject: 'Issued: {{ commonName }}', body: 'Order {{ caOrderId }}.', now }) → { source: 'custom', … }
 */
export async function saveMessageTemplate(
  k: Kysely<Database>,
  input: {
    readonly template: string;
    readonly language: string;
    readonly subject: string;
    readonly body: string;
    readonly now: Date;
  },
): Promise<MessageTemplateView> {
  const { template, language } = checkKey(input);
  const subject = input.subject.trim();
  if (subject === '' || subject.length > MAX_SUBJECT || /[\r\n]/.test(subject)) {
    throw new AppError(
      'NOTIFICATIONS_TEMPLATE_INVALID',
      `The subject of ${template} (${language}) must be one non-empty line of at most ${MAX_SUBJECT} characters.`,
      { template, language },
    );
  }
  if (input.body.trim() === '' || input.body.length > MAX_BODY) {
    throw new AppError(
      'NOTIFICATIONS_TEMPLATE_INVALID',
      `The body of ${template} (${language}) must be non-empty and at most ${MAX_BODY} characters.`,
      { template, language },
    );
  }
  const source = { subject, body: input.body };
  await renderTemplateSource(source, sampleVariables(template), `${template} (${language})`);
  const updatedAt = input.now.toISOString();
  await k
    .insertInto('message_templates')
    .values({ template, language, subject, body: input.body, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.columns(['template', 'language']).doUpdateSet({ subject, body: input.body, updated_at: updatedAt }),
    )
    .execute();
  return viewOf(template, language, source, updatedAt);
}

/**
 * Drops the admin's version, so the shipped template applies again (a no-op when there is none).
 * @example await resetMessageTemplate(db.kysely, { template: 'certificate-issued', language: 'en' }) → { source: 'default', … }
 */
export async function resetMessageTemplate(
  k: Kysely<Database>,
  input: { readonly template: string; readonly language: string },
): Promise<MessageTemplateView> {
  const { template, language } = checkKey(input);
  await k
    .deleteFrom('message_templates')
    .where('template', '=', template)
    .where('language', '=', language)
    .execute();
  return viewOf(template, language, defaultOrEnglish(template, language), null);
}

/**
 * Renders a message in a language, falling back to English when the language is not known or
 * has no version of the template: the admin's version in the language, else the shipped one in the
 * language, else the admin's English version, else the shipped English one. Variables the
 * template documents but `variables` lacks are null (a list `[]`).
 * @example await renderMessage(db.kysely, { template: 'certificate-issued', language: 'fr',
 *   variables: { commonName: 'example.com', caOrderId: 'CESM2604020001', … } })
 *   → { subject: 'Certificate for example.com issued (order CESM2604020001)', text: 'Hello …' }
 */
export async function renderMessage(
  k: Kysely<Database>,
  input: {
    readonly template: string;
    readonly language: string;
    readonly variables: Readonly<Record<string, unknown>>;
  },
): Promise<RenderedMessage & { readonly language: MessageLanguage }> {
  if (!isMessageTemplateId(input.template)) throw unknownTemplate(input.template, input.language);
  const template = input.template;
  const wanted: MessageLanguage = isMessageLanguage(input.language) ? input.language : FALLBACK_LANGUAGE;
  const rows = await k
    .selectFrom('message_templates')
    .selectAll()
    .where('template', '=', template)
    .where('language', 'in', [...new Set([wanted, FALLBACK_LANGUAGE])])
    .execute();
  const customIn = (language: string) => rows.find((r) => r.language === language);
  let language: MessageLanguage = wanted;
  let source: TemplateSource | null = customIn(wanted) ?? defaultMessageTemplate(template, wanted);
  if (!source) {
    language = FALLBACK_LANGUAGE;
    source = customIn(FALLBACK_LANGUAGE) ?? defaultMessageTemplate(template, FALLBACK_LANGUAGE);
  }
  if (!source) throw unknownTemplate(template, FALLBACK_LANGUAGE);
  const rendered = await renderTemplateSource(
    { subject: source.subject, body: source.body },
    completeVariables(template, input.variables),
    `${template} (${language})`,
  );
  return { ...rendered, language };
}

function checkKey(input: { readonly template: string; readonly language: string }): {
  template: MessageTemplateId;
  language: MessageLanguage;
} {
  if (!isMessageTemplateId(input.template) || !isMessageLanguage(input.language)) {
    throw unknownTemplate(input.template, input.language);
  }
  return { template: input.template, language: input.language };
}

function unknownTemplate(template: string, language: string): AppError {
  return new AppError(
    'NOTIFICATIONS_TEMPLATE_UNKNOWN',
    `No message template ${template} in language ${language}: templates are ${MESSAGE_TEMPLATES.join(', ')}; languages ${MESSAGE_LANGUAGES.join(', ')}.`,
    { template, language },
  );
}

function defaultOrEnglish(template: MessageTemplateId, language: MessageLanguage): TemplateSource {
  const source =
    defaultMessageTemplate(template, language) ?? defaultMessageTemplate(template, FALLBACK_LANGUAGE);
  if (!source) throw unknownTemplate(template, FALLBACK_LANGUAGE);
  return source;
}

function viewOf(
  template: MessageTemplateId,
  language: MessageLanguage,
  source: TemplateSource,
  updatedAt: string | null,
): MessageTemplateView {
  const spec = MESSAGE_TEMPLATE_SPECS[template];
  return {
    template,
    language,
    title: spec.title,
    audience: spec.audience,
    source: updatedAt === null ? 'default' : 'custom',
    subject: source.subject,
    body: source.body,
    updatedAt,
    variables: spec.variables,
  };
}
