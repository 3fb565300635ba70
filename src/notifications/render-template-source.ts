import { Liquid } from 'liquidjs';
import { AppError } from '../core/errors/index.ts';
import type { TemplateSource } from './default-message-template.ts';

/** A rendered message: a one-line subject and a plain-text body. */
export interface RenderedMessage {
  readonly subject: string;
  readonly text: string;
}

/*
 * Admins edit templates, so the engine is sandboxed: Liquid has no way to run JavaScript; only
 * own properties of the variables are read; includes and layouts resolve against an empty
 * in-memory map (never the file system); parse size, render time and memory are bounded. Strict
 * variables and filters make a misspelt name an error instead of an empty string.
 */
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  templates: {},
  cache: false,
  parseLimit: 200_000,
  renderLimit: 2_000,
  memoryLimit: 20_000_000,
});

/**
 * Renders a template source with variables; any parse or render error is thrown as
 * `NOTIFICATIONS_TEMPLATE_INVALID` naming the part (subject or body) and Liquid's message.
 * @example await renderTemplateSource({ subject: 'Hi {{ commonName }}', body: '…' }, { commonName: 'example.com' })
 *   → { subject: 'Hi example.com', text: '…\n' }
 */
export async function renderTemplateSource(
  source: TemplateSource,
  variables: Readonly<Record<string, unknown>>,
  where = 'the template',
): Promise<RenderedMessage> {
  const subject = await renderPart(source.subject, variables, `the subject of ${where}`);
  const text = await renderPart(source.body, variables, `the body of ${where}`);
  return {
    // A header is one line: no line break may reach it, whatever a variable holds.
    subject: subject.replace(/\s+/g, ' ').trim(),
    text: tidyText(text),
  };
}

async function renderPart(
  source: string,
  variables: Readonly<Record<string, unknown>>,
  where: string,
): Promise<string> {
  try {
    return String(await engine.parseAndRender(source, { ...variables }));
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new AppError('NOTIFICATIONS_TEMPLATE_INVALID', `${where} does not render: ${reason}`, {
      where,
    });
  }
}

/** Trailing spaces dropped, runs of blank lines (left by tags) folded to one, one final newline. */
function tidyText(text: string): string {
  return (
    text
      .replace(/\r\n/g, '\n')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}
