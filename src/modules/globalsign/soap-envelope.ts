import { create } from 'xmlbuilder2';
import type { OperationSpec } from './operation-table.ts';

type XMLBuilder = ReturnType<typeof create>;

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

// XML 1.0 forbids these; xmlbuilder2 would otherwise pass them through and GlobalSign would fault.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * The one place requests are written. The wrapper element carries its own `xmlns:v1` so the first
 * child of `soap:Body` stands alone (what the XSDs validate); everything below it is unqualified.
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
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const body = doc.ele(SOAP_NS, 'soap:Envelope').ele(SOAP_NS, 'soap:Body');
  const request = body.ele(GLOBALSIGN_NS, `v1:${op.name}`).ele('Request');
  const header: XmlChild = [
    op.header,
    [
      [
        'AuthToken',
        [
          ['UserName', credentials.username],
          ['Password', credentials.password],
        ],
      ],
    ],
  ];
  append(request, header, '');
  for (const child of children) if (child) append(request, child, '');
  return doc.end();
}

function append(parent: XMLBuilder, [name, content]: XmlChild, path: string): void {
  const here = path ? `${path}.${name}` : name;
  const node = parent.ele(name);
  if (typeof content === 'string') {
    if (FORBIDDEN_XML_CHARS.test(content))
      throw new RequestInputError(here, 'contains characters that cannot be sent in XML');
    // Literal CRs would be folded by the receiving parser anyway; sending LF keeps PEM stable.
    if (content !== '') node.txt(content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content);
    return;
  }
  for (const child of content) if (child) append(node, child, here);
}
