import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ServiceName } from '../operations/operation.ts';

const SCHEMAS: Record<ServiceName, string> = {
  ServerSSLService: 'ServerSSLService-kb_ws_v1.xsd',
  GASService: 'GASService-kb_ws_v1.xsd',
  AccountService: 'AccountService-kb_ws_v1.xsd',
};

/**
 * Cuts the wrapper element (first child of soap:Body) out of an envelope, carrying over the
 * namespace declarations it inherits from Envelope and Body, so it can be validated alone.
 */
export function extractWrapper(envelope: string): string | undefined {
  const body = /<([A-Za-z_][\w.-]*:)?Body\b[^>]*>/.exec(envelope);
  if (!body) return undefined;
  const end = envelope.lastIndexOf(`</${body[1] ?? ''}Body>`);
  if (end < 0) return undefined;
  const inner = envelope.slice(body.index + body[0].length, end).trim();
  const startTag = /^<[A-Za-z_][\w.:-]*/.exec(inner);
  if (!startTag) return undefined;
  const openTag = inner.slice(0, inner.indexOf('>') + 1);
  const envelopeTag = /<([A-Za-z_][\w.-]*:)?Envelope\b[^>]*>/.exec(envelope)?.[0] ?? '';
  const inherited = new Map<string, string>();
  for (const tag of [envelopeTag, body[0]]) {
    for (const m of tag.matchAll(/\sxmlns(:[\w.-]+)?\s*=\s*("[^"]*"|'[^']*')/g))
      inherited.set(m[1] ?? '', m[0]);
  }
  const extra = [...inherited]
    .filter(([prefix]) => !new RegExp(`\\sxmlns${prefix.replace('.', '\\.')}\\s*=`).test(openTag))
    .map(([, decl]) => decl)
    .join('');
  return startTag[0] + extra + inner.slice(startTag[0].length);
}

/**
 * Validates request wrappers against GlobalSign's XSDs with xmllint (the `--strict` switch).
 * Resolves to undefined when valid, else to xmllint's first complaint.
 *
 * @example await validateWrapper(xml, 'GASService', 'ca-simulator/wsdl/xsd') // undefined
 */
export function validateWrapper(
  envelope: string,
  service: ServiceName,
  xsdDir: string,
): Promise<string | undefined> {
  const wrapper = extractWrapper(envelope);
  if (!wrapper) return Promise.resolve('The SOAP Body has no wrapper element.');
  return new Promise((resolve) => {
    const child = spawn(
      'xmllint',
      ['--noout', '--nonet', '--schema', path.join(xsdDir, SCHEMAS[service]), '-'],
      {
        stdio: ['pipe', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve(`xmllint could not run: ${e.message}`));
    child.on('close', (code) => {
      if (code === 0) return resolve(undefined);
      const line = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.trim();
      resolve(line.replace(/^-:\d+:\s*/, '').trim() || `xmllint exited with ${code}`);
    });
    child.stdin.end(wrapper);
  });
}
