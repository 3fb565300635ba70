import type { OperationSpec } from './operation-table.ts';

export const SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const GLOBALSIGN_NS = 'https://system.globalsign.com/kb/ws/v1/';

/** An element in schema order: text, or children (`undefined` children are skipped). */
export type XmlChild = readonly [name: string, content: string | readonly (XmlChild | undefined)[]];

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** A value cannot be sent (missing, malformed); the client turns it into GLOBALSIGN_INVALID_INPUT. */
export class RequestInputError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'RequestInputError';
  }
}

// XML 1.0 forbids these; the builder would otherwise pass them through and GlobalSign would fault.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const MARKUP = /[&<>"']/;
const MARKUP_ALL = /[&<>"']/g;

/** Text as element content: the five markup characters as entities, CR and CRLF as LF. */
function escapeText(text: string, path: string): string {
  if (FORBIDDEN_XML_CHARS.test(text))
    throw new RequestInputError(path, 'contains characters that cannot be sent in XML');
  // Literal CRs would be folded by the receiving parser anyway; sending LF keeps PEM stable.
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  return MARKUP.test(lf) ? lf.replace(MARKUP_ALL, (c) => ESCAPES[c]!) : lf;
}

/** Envelope text around the credentials and the children, written once per operation. */
interface EnvelopeParts {
  readonly head: string;
  readonly afterCredentials: string;
  readonly tail: string;
}

const PARTS = new Map<OperationSpec['name'], EnvelopeParts>();

function partsOf(op: OperationSpec): EnvelopeParts {
  let parts = PARTS.get(op.name);
  if (!parts) {
    parts = {
      head:
        `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="${SOAP_NS}"><soap:Body>` +
        `<v1:${op.name} xmlns:v1="${GLOBALSIGN_NS}"><Request><${op.header}><AuthToken>`,
      afterCredentials: `</AuthToken></${op.header}>`,
      tail: `</Request></v1:${op.name}></soap:Body></soap:Envelope>`,
    };
    PARTS.set(op.name, parts);
  }
  return parts;
}

/**
 * The one place requests are written. The wrapper element carries its own `xmlns:v1` so the first
 * child of `soap:Body` stands alone (what the XSDs validate); everything below it is unqualified.
 * Element names come from the request builders; every text is escaped, an empty one is `<Name/>`.
 *
 * @example
 *   buildEnvelope(OPERATIONS.ModifyOrder, creds, [['OrderID', 'CE1'], ['ModifyOrderOperation', 'CANCEL']]);
 *   // '<?xml …?><soap:Envelope …><soap:Body><v1:ModifyOrder xmlns:v1="…"><Request><OrderRequestHeader>…'
 */
export function buildEnvelope(
  op: OperationSpec,
  credentials: Credentials,
  children: readonly (XmlChild | undefined)[],
): string {
  const parts = partsOf(op);
  const token = `${op.header}.AuthToken`;
  let xml =
    parts.head +
    element(['UserName', credentials.username], token) +
    element(['Password', credentials.password], token) +
    parts.afterCredentials;
  for (const child of children) if (child) xml += element(child, '');
  return xml + parts.tail;
}

function element([name, content]: XmlChild, path: string): string {
  const here = path ? `${path}.${name}` : name;
  if (typeof content === 'string') {
    return content === '' ? `<${name}/>` : `<${name}>${escapeText(content, here)}</${name}>`;
  }
  let inner = '';
  for (const child of content) if (child) inner += element(child, here);
  return inner === '' ? `<${name}/>` : `<${name}>${inner}</${name}>`;
}
