import { XMLBuilder } from 'fast-xml-parser';
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

/** An element in the builder's ordered form: `{ name: children, ':@': attributes }`; text is `{ '#text': … }`. */
type OrderedNode = {
  readonly [key: string]: readonly OrderedNode[] | string | Readonly<Record<string, string>>;
};

// Ordered form keeps children exactly in schema order (plain objects would merge repeated names);
// processEntities escapes every text and attribute value.
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

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
  const request = [ordered(header, '')];
  for (const child of children) if (child) request.push(ordered(child, ''));
  return builder.build([
    { '?xml': [], ':@': { '@_version': '1.0', '@_encoding': 'UTF-8' } },
    {
      'soap:Envelope': [
        {
          'soap:Body': [{ [`v1:${op.name}`]: [{ Request: request }], ':@': { '@_xmlns:v1': GLOBALSIGN_NS } }],
        },
      ],
      ':@': { '@_xmlns:soap': SOAP_NS },
    },
  ]);
}

function ordered([name, content]: XmlChild, path: string): OrderedNode {
  const here = path ? `${path}.${name}` : name;
  if (typeof content === 'string') {
    if (FORBIDDEN_XML_CHARS.test(content))
      throw new RequestInputError(here, 'contains characters that cannot be sent in XML');
    if (content === '') return { [name]: [] };
    // Literal CRs would be folded by the receiving parser anyway; sending LF keeps PEM stable.
    return { [name]: [{ '#text': content.includes('\r') ? content.replace(/\r\n?/g, '\n') : content }] };
  }
  const nodes: OrderedNode[] = [];
  for (const child of content) if (child) nodes.push(ordered(child, here));
  return { [name]: nodes };
}
