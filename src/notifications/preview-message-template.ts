import { AppError } from '../core/errors/index.ts';
import {
  isMessageLanguage,
  isMessageTemplateId,
  MESSAGE_LANGUAGES,
  MESSAGE_TEMPLATES,
  sampleVariables,
} from './message-template-catalogue.ts';
import { renderTemplateSource, type RenderedMessage } from './render-template-source.ts';

/**
 * Renders a template text the admin is editing, not saved, with the documented sample variables:
 * what saving it would check, and what a message from it looks like. A failing text is
 * `NOTIFICATIONS_TEMPLATE_INVALID` naming the part (subject or body).
 * @example await previewMessageTemplate({ template: 'certificate-issued', language: 'en',
 *   subject: 'Issued: {{ commonName }}', body: 'Order {{ caOrderId }}.' }) → { subject: 'Issued: example.com', text: 'Order CESM2604020001.\n' }
 */
export async function previewMessageTemplate(input: {
  readonly template: string;
  readonly language: string;
  readonly subject: string;
  readonly body: string;
}): Promise<RenderedMessage> {
  if (!isMessageTemplateId(input.template) || !isMessageLanguage(input.language)) {
    throw new AppError(
      'NOTIFICATIONS_TEMPLATE_UNKNOWN',
      `No message template ${input.template} in language ${input.language}: templates are ${MESSAGE_TEMPLATES.join(', ')}; languages ${MESSAGE_LANGUAGES.join(', ')}.`,
      { template: input.template, language: input.language },
    );
  }
  return renderTemplateSource(
    { subject: input.subject, body: input.body },
    sampleVariables(input.template),
    `${input.template} (${input.language})`,
  );
}
