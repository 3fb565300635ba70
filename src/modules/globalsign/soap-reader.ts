import { XMLParser } from 'fast-xml-parser';
import type { GlobalSignIssue } from './types.ts';

/** A parsed element: child elements by local name, attributes as `@_name`, text beside attributes as `#text`. */
export type XmlNode = { readonly [name: string]: unknown };

/** The answer is not a SOAP message the client can use; `reason` says what is wrong. */
export class ResponseFormatError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ResponseFormatError';
  }
}

export interface ResponseHeader {
  readonly successCode: number;
  readonly issues: readonly GlobalSignIssue[];
  readonly timestamp?: string;
}

export type SoapMessage =
  | { readonly kind: 'fault'; readonly faultCode: string; readonly faultString: string }
  | { readonly kind: 'response'; readonly response: XmlNode; readonly header: ResponseHeader };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Ids, prices and codes stay text: `0010` and `1000.00` must survive as sent.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Entities are decoded lazily by the accessors below, only in the text actually read: same result
  // (`&#xD;` → CR, `&amp;` → &), a fraction of the cost.
  processEntities: false,
  jPath: false,
});

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(lt|gt|amp|quot|apos));/g;

/**
 * Decodes the five XML entities and numeric character references in raw text.
 *
 * @example
 *   decodeXmlText('a&#xD;&lt;b&gt; &amp;#xD;'); // 'a\r<b> &#xD;'
 */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(
    ENTITY,
    (whole, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
      if (named) return NAMED_ENTITIES[named] ?? whole;
      const cp = hex ? parseInt(hex, 16) : Number(dec);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    },
  );
}

const ENVELOPE_END = /<\/(?:[\w.-]+:)?Envelope\s*>\s*$/;

/**
 * The one place answers are read. Returns the `Response` element of `<op>Response` with its header,
 * or the SOAP fault. Throws ResponseFormatError for anything else (cut off, not XML, another operation).
 *
 * @example
 *   const msg = readEnvelope(xml, 'DVOrder');
 *   if (msg.kind === 'response') textOf(msg.response, 'OrderID'); // 'CE1234'
 */
export function readEnvelope(xml: string, operation: string): SoapMessage {
  if (xml.trim() === '') throw new ResponseFormatError('empty body');
  if (xml.includes('<!DOCTYPE'))
    throw new ResponseFormatError('document type declarations are not allowed in SOAP');
  // The parser tolerates unclosed elements, so a cut-off body is caught by its missing end tag.
  if (!ENVELOPE_END.test(xml)) throw new ResponseFormatError('body is cut off or is not a SOAP envelope');
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    throw new ResponseFormatError(`body is not well-formed XML (${(e as Error).message.split('\n')[0]})`);
  }
  const body = childOf(childOf(doc, 'Envelope'), 'Body');
  if (!body) throw new ResponseFormatError('no soap:Body');
  const fault = childOf(body, 'Fault');
  if (fault) {
    return {
      kind: 'fault',
      faultCode: textOf(fault, 'faultcode') ?? '',
      faultString: textOf(fault, 'faultstring') ?? '',
    };
  }
  const wrapper = childOf(body, `${operation}Response`);
  if (!wrapper) throw new ResponseFormatError(`no ${operation}Response element`);
  const response = childOf(wrapper, 'Response');
  if (!response) throw new ResponseFormatError(`no Response in ${operation}Response`);
  const headerNode = childOf(response, 'OrderResponseHeader') ?? childOf(response, 'QueryResponseHeader');
  if (!headerNode) throw new ResponseFormatError('no response header');
  return { kind: 'response', response, header: readHeader(headerNode) };
}

function readHeader(node: XmlNode): ResponseHeader {
  const raw = textOf(node, 'SuccessCode');
  const successCode = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(successCode))
    throw new ResponseFormatError(`SuccessCode is not a number: ${raw ?? 'missing'}`);
  const issues = listOf(childOf(node, 'Errors'), 'Error').map((e) => {
    const issue: { code: string; field?: string; message?: string } = { code: textOf(e, 'ErrorCode') ?? '' };
    const field = textOf(e, 'ErrorField');
    const message = textOf(e, 'ErrorMessage');
    if (field) issue.field = field;
    if (message) issue.message = message;
    return issue;
  });
  const timestamp = textOf(node, 'Timestamp');
  return timestamp ? { successCode, issues, timestamp } : { successCode, issues };
}

function isNil(v: XmlNode): boolean {
  return v['@_nil'] === 'true' || v['@_nil'] === true;
}

/** A child element (the first, if repeated); `undefined` when absent or `xsi:nil`. An empty element is `{}`. */
export function childOf(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  const v = first(node[name]);
  if (v === '') return {};
  if (typeof v !== 'object' || v === null || isNil(v as XmlNode)) return undefined;
  return v as XmlNode;
}

/** Text of a child; `undefined` when absent, nil or empty. */
export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  const v = first(node[name]);
  if (typeof v === 'string') return v === '' ? undefined : decodeXmlText(v);
  if (typeof v === 'object' && v !== null && !isNil(v as XmlNode)) {
    const t = (v as XmlNode)['#text'];
    return typeof t === 'string' && t !== '' ? decodeXmlText(t) : undefined;
  }
  return undefined;
}

/** Text of a child that must be there (empty allowed); throws ResponseFormatError naming `path`. */
export function requiredText(node: XmlNode | undefined, name: string, path: string): string {
  const v = node ? first(node[name]) : undefined;
  if (typeof v === 'string') return decodeXmlText(v);
  if (typeof v === 'object' && v !== null && !isNil(v as XmlNode)) {
    const t = (v as XmlNode)['#text'];
    return typeof t === 'string' ? decodeXmlText(t) : '';
  }
  throw new ResponseFormatError(`missing ${path}`);
}

/** Every non-nil child element of that name, in document order. */
export function listOf(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node) return [];
  const v = node[name];
  const items = Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v];
  const out: XmlNode[] = [];
  for (const item of items) {
    if (item === '') out.push({});
    else if (typeof item === 'object' && item !== null && !isNil(item as XmlNode)) out.push(item as XmlNode);
  }
  return out;
}

/** Every non-empty text child of that name. */
export function textsOf(node: XmlNode | undefined, name: string): string[] {
  if (!node) return [];
  const v = node[name];
  const items = Array.isArray(v) ? (v as unknown[]) : v === undefined ? [] : [v];
  const out: string[] = [];
  for (const item of items) {
    const t = textOf({ x: item }, 'x');
    if (t) out.push(t);
  }
  return out;
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}
