import { SaxesParser } from 'saxes';
import type { GlobalSignIssue } from './types.ts';

/**
 * A parsed element: child elements by local name (repeated ones as arrays), a text-only child as its
 * decoded, trimmed text, text beside child elements as `#text`, an `xsi:nil` child as `{ '@_nil': 'true' }`.
 */
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

const NIL: XmlNode = Object.freeze({ '@_nil': 'true' });

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/**
 * Parses with saxes into the tree the accessors read: an element with child elements is an object
 * keyed by local name (repeated names become arrays, text beside children is `#text`), a text-only
 * element is its trimmed text (`''` when empty), an `xsi:nil` element is `{ '@_nil': 'true' }`.
 * Other attributes are dropped. Returns the root element's local name and value.
 */
function parseTree(xml: string): { name: string; value: unknown } {
  const parser = new SaxesParser({ position: false });
  // One entry per open element, index 0 being the document; parallel arrays keep this allocation-light.
  const names: string[] = [''];
  const texts: string[] = [''];
  const nils: boolean[] = [false];
  const children: (Record<string, unknown> | undefined)[] = [undefined];
  let depth = 0;
  let nil = false;
  parser.on('doctype', () => {
    throw new ResponseFormatError('document type declarations are not allowed in SOAP');
  });
  parser.on('attribute', ({ name, value }) => {
    if (localName(name) === 'nil') nil = value.trim() === 'true' || value.trim() === '1';
  });
  parser.on('opentag', (tag) => {
    depth++;
    names[depth] = localName(tag.name);
    texts[depth] = '';
    nils[depth] = nil;
    children[depth] = undefined;
    nil = false;
  });
  const onText = (text: string): void => {
    texts[depth] += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const own = children[depth];
    const raw = texts[depth]!;
    const text = raw === '' ? raw : raw.trim();
    let value: unknown;
    if (nils[depth]) value = NIL;
    else if (own) {
      if (text !== '') own['#text'] = text;
      value = own;
    } else value = text;
    const name = names[depth]!;
    depth--;
    // Null prototype: an element named `__proto__` or `constructor` is just another key.
    const siblings = (children[depth] ??= Object.create(null) as Record<string, unknown>);
    const seen = siblings[name];
    if (seen === undefined) siblings[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else siblings[name] = [seen, value];
  });
  try {
    parser.write(xml);
  } catch (e) {
    if (e instanceof ResponseFormatError) throw e;
    throw new ResponseFormatError(`body is not well-formed XML (${(e as Error).message})`);
  }
  try {
    parser.close();
  } catch {
    throw new ResponseFormatError('body is cut off or is not a SOAP envelope');
  }
  const [name, value] = Object.entries(children[0] ?? {})[0] ?? ['', undefined];
  return { name, value };
}

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
  const root = parseTree(xml);
  if (root.name !== 'Envelope' || typeof root.value !== 'object')
    throw new ResponseFormatError('body is cut off or is not a SOAP envelope');
  const body = childOf(root.value as XmlNode, 'Body');
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
  return v['@_nil'] === 'true';
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
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'object' && v !== null && !isNil(v as XmlNode)) {
    const t = (v as XmlNode)['#text'];
    return typeof t === 'string' && t !== '' ? t : undefined;
  }
  return undefined;
}

/** Text of a child that must be there (empty allowed); throws ResponseFormatError naming `path`. */
export function requiredText(node: XmlNode | undefined, name: string, path: string): string {
  const v = node ? first(node[name]) : undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && !isNil(v as XmlNode)) {
    const t = (v as XmlNode)['#text'];
    return typeof t === 'string' ? t : '';
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
