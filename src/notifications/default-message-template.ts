import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors/index.ts';
import type { MessageTemplateId } from './message-template-catalogue.ts';

/** A template's source: the subject line and the text body, both Liquid. */
export interface TemplateSource {
  readonly subject: string;
  readonly body: string;
}

const TEMPLATES_DIR = path.resolve(import.meta.dirname, 'templates');
const cache = new Map<string, TemplateSource | null>();

/**
 * The shipped template of a language, read once from
 * `src/notifications/templates/<language>/<template>.liquid`; null when that language has none.
 * @example defaultMessageTemplate('certificate-issued', 'es') → { subject: 'Certificado para {{ commonName }} …', body: 'Hola, …' }
 */
export function defaultMessageTemplate(template: MessageTemplateId, language: string): TemplateSource | null {
  const key = `${language}/${template}`;
  if (!cache.has(key)) {
    const file = path.join(TEMPLATES_DIR, language, `${template}.liquid`);
    cache.set(
      key,
      /^[a-z]{2}$/.test(language) && fs.existsSync(file)
        ? parseTemplateFile(fs.readFileSync(file, 'utf8'), file)
        : null,
    );
  }
  return cache.get(key) ?? null;
}

/**
 * Splits a template file: the first line is `Subject: <subject>`, an empty line follows, the rest
 * is the body. Lines starting with `#` before the subject line are comments.
 * @example parseTemplateFile('Subject: Hi {{ commonName }}\n\nBody') → { subject: 'Hi {{ commonName }}', body: 'Body' }
 */
export function parseTemplateFile(text: string, where = 'template'): TemplateSource {
  // Leading `#` lines are comments (what `certbill mail templates show` prints above the template).
  const normalised = text.replace(/\r\n/g, '\n').replace(/^(#[^\n]*\n)+/, '');
  const newline = normalised.indexOf('\n');
  const first = newline === -1 ? normalised : normalised.slice(0, newline);
  const m = /^Subject:[ \t]*(.*)$/.exec(first);
  if (!m || (m[1] ?? '').trim() === '') {
    throw new AppError(
      'NOTIFICATIONS_TEMPLATE_INVALID',
      `${where} must start with a line "Subject: <subject>", then an empty line and the body.`,
    );
  }
  const body = newline === -1 ? '' : normalised.slice(newline + 1).replace(/^\n/, '');
  return { subject: (m[1] ?? '').trim(), body };
}

/** The file form of a template, as `parseTemplateFile` reads it. */
export function formatTemplateFile(source: TemplateSource): string {
  return `Subject: ${source.subject}\n\n${source.body}`;
}
