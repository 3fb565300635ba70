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

// The references plain text may hold (GlobalSign writes PEM line ends as `&#xD;`); any other
// spelling, such as `&#x0D;`, leaves the text to saxes.
const PLAIN_REFS: Readonly<Record<string, string>> = Object.assign(Object.create(null) as object, {
  '#xD': '\r',
  '#xd': '\r',
  '#13': '\r',
  '#xA': '\n',
  '#xa': '\n',
  '#10': '\n',
  '#x9': '\t',
  '#9': '\t',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
});

// A character plain text cannot hold as it is (anything but tab, LF and printable ASCII other
// than `<`, `>` and `]`), or an `&` that does not start one of the references above.
const NOT_PLAIN = /[^\t\n\x20-\x3b\x3d\x3f-\x5c\x5e-\x7e]|&(?!(?:#x[dDaA9]|#1[03]|#9|amp|lt|gt|quot|apos);)/;
const PLAIN_REF = /&(#x[dDaA9]|#1[03]|#9|amp|lt|gt|quot|apos);/g;

/**
 * The decoded text of `xml[start, end)` when it is plainly well-formed character data: tab, LF,
 * printable ASCII other than `<`, `>` and `]`, and the references above. Anything else (CR, other
 * characters or references) returns `undefined`.
 */
function plainText(xml: string, start: number, end: number): string | undefined {
  if (end - start < 64) return shortPlainText(xml, start, end);
  const raw = xml.slice(start, end);
  if (NOT_PLAIN.test(raw)) return undefined;
  if (!raw.includes('&')) return raw;
  const common = raw.replaceAll('&#xD;', '\r');
  return common.includes('&') ? common.replace(PLAIN_REF, (_, ref: string) => PLAIN_REFS[ref]!) : common;
}

/** `plainText` for a short run, where a loop costs less than starting the regular expression. */
function shortPlainText(xml: string, start: number, end: number): string | undefined {
  for (let i = start; i < end; i++) {
    const c = xml.charCodeAt(i);
    if (
      c >= 0x20 ? c === 0x26 || c === 0x3c || c === 0x3e || c === 0x5d || c >= 0x7f : c !== 0x0a && c !== 0x09
    ) {
      if (c !== 0x26) return undefined;
      const raw = xml.slice(start, end);
      if (NOT_PLAIN.test(raw)) return undefined;
      return raw.replace(PLAIN_REF, (_, ref: string) => PLAIN_REFS[ref]!);
    }
  }
  return xml.slice(start, end);
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameRest(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09;
}

/** End of an ASCII name (`a`, `a-b.c`, `p:a`) starting at `i`, or -1. */
function nameEnd(xml: string, i: number): number {
  if (!isNameStart(xml.charCodeAt(i))) return -1;
  i++;
  while (isNameRest(xml.charCodeAt(i))) i++;
  if (xml.charCodeAt(i) !== 0x3a) return i;
  if (!isNameStart(xml.charCodeAt(i + 1))) return -1;
  i += 2;
  while (isNameRest(xml.charCodeAt(i))) i++;
  return i;
}

function skipSpaces(xml: string, i: number): number {
  while (isSpace(xml.charCodeAt(i))) i++;
  return i;
}

/** How GlobalSign writes an empty field, after the element name; compared as a whole. */
const NIL_TAIL = ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>`;

/** A leaf element read by `plainLeaf`. */
interface PlainLeaf {
  name: string;
  nil: boolean;
  text: string;
  end: number;
}

/**
 * The leaf element at `pos` (a `<`) in its plainest spelling, or `undefined`: an ASCII name,
 * distinct double-quoted attributes of printable ASCII without `&` and `<`, then `/>` or plain
 * text up to the matching end tag. XML whitespace only (space, tab, LF).
 */
function plainLeaf(xml: string, pos: number, leaf: PlainLeaf): PlainLeaf | undefined {
  const nameStop = nameEnd(xml, pos + 1);
  if (nameStop < 0) return undefined;
  const qname = xml.slice(pos + 1, nameStop);
  if (xml.startsWith(NIL_TAIL, nameStop)) {
    leaf.name = localName(qname);
    leaf.nil = true;
    leaf.text = '';
    leaf.end = nameStop + NIL_TAIL.length;
    return leaf;
  }
  let nil = false;
  let attributes: string[] | undefined;
  let i = nameStop;
  for (;;) {
    const spaced = skipSpaces(xml, i);
    const c = xml.charCodeAt(spaced);
    if (c === 0x2f) {
      if (xml.charCodeAt(spaced + 1) !== 0x3e) return undefined;
      leaf.text = '';
      leaf.end = spaced + 2;
      break;
    }
    if (c === 0x3e) {
      const lt = xml.indexOf('<', spaced + 1);
      if (lt < 0 || xml.charCodeAt(lt + 1) !== 0x2f) return undefined;
      const text = plainText(xml, spaced + 1, lt);
      if (text === undefined) return undefined;
      if (!xml.startsWith(qname, lt + 2)) return undefined;
      const gt = skipSpaces(xml, lt + 2 + qname.length);
      if (xml.charCodeAt(gt) !== 0x3e) return undefined;
      leaf.text = text;
      leaf.end = gt + 1;
      break;
    }
    if (spaced === i) return undefined;
    const attrStop = nameEnd(xml, spaced);
    if (attrStop < 0) return undefined;
    const name = xml.slice(spaced, attrStop);
    if (attributes?.includes(name)) return undefined;
    (attributes ??= []).push(name);
    i = skipSpaces(xml, attrStop);
    if (xml.charCodeAt(i) !== 0x3d) return undefined;
    i = skipSpaces(xml, i + 1);
    if (xml.charCodeAt(i) !== 0x22) return undefined;
    const valueStart = i + 1;
    for (i = valueStart; ; i++) {
      const v = xml.charCodeAt(i);
      if (v === 0x22) break;
      if (v >= 0x20 ? v >= 0x7f || v === 0x26 || v === 0x3c : v !== 0x0a && v !== 0x09) return undefined;
    }
    if (localName(name) === 'nil') nil = isNilValue(xml.slice(valueStart, i));
    i++;
  }
  leaf.name = localName(qname);
  leaf.nil = nil;
  return leaf;
}

function isNilValue(value: string): boolean {
  const v = value.trim();
  return v === 'true' || v === '1';
}

/**
 * Parses with saxes into the tree the accessors read: an element with child elements is an object
 * keyed by local name (repeated names become arrays, text beside children is `#text`), a text-only
 * element is its trimmed text (`''` when empty), an `xsi:nil` element is `{ '@_nil': 'true' }`.
 * Other attributes are dropped. Returns the root element's local name and value.
 *
 * Saxes reads one character at a time through a state machine, which costs far more than the tree:
 * an order answer is dozens of leaf elements (many `xsi:nil` with their namespace declaration) and
 * kilobytes of base64. So where saxes has just reported a tag on a `>` inside the root (it is then
 * reading character data, nothing pending), the content that follows is read here as long as it
 * is plain text or plain leaf elements (`plainText`, `plainLeaf`: a strict subset of well-formed
 * XML, duplicate attributes refused) and saxes goes on from the first thing that is not, which
 * leaves it a well-formed document whenever the original is one. Every other tag, reference,
 * comment, CDATA section and any doubtful text still goes through saxes. With `plainContent`
 * false everything goes through saxes: the reference the tests hold the shortcut to.
 */
export function parseXmlTree(xml: string, plainContent = true): { name: string; value: unknown } {
  const parser = new SaxesParser({ position: false });
  // One entry per open element, index 0 being the document; parallel arrays keep this allocation-light.
  const names: string[] = [''];
  const texts: string[] = [''];
  const nils: boolean[] = [false];
  const children: (Record<string, unknown> | undefined)[] = [undefined];
  let depth = 0;
  let nil = false;
  let tagEvents = 0;
  const addChild = (name: string, value: unknown): void => {
    // Null prototype: an element named `__proto__` or `constructor` is just another key.
    const siblings = (children[depth] ??= Object.create(null) as Record<string, unknown>);
    const seen = siblings[name];
    if (seen === undefined) siblings[name] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else siblings[name] = [seen, value];
  };
  const onText = (text: string): void => {
    texts[depth] += text;
  };
  const scratch: PlainLeaf = { name: '', nil: false, text: '', end: 0 };
  /** Reads plain content from `pos`; returns where saxes must go on. */
  const readPlainContent = (pos: number): number => {
    while (pos < xml.length) {
      if (xml.charCodeAt(pos) !== 0x3c) {
        const lt = xml.indexOf('<', pos);
        if (lt < 0) return pos;
        const text = plainText(xml, pos, lt);
        if (text === undefined) return pos;
        onText(text);
        pos = lt;
        continue;
      }
      const leaf = plainLeaf(xml, pos, scratch);
      if (!leaf) return pos;
      addChild(leaf.name, leaf.nil ? NIL : leaf.text === '' ? '' : leaf.text.trim());
      pos = leaf.end;
    }
    return pos;
  };
  parser.on('doctype', () => {
    throw new ResponseFormatError('document type declarations are not allowed in SOAP');
  });
  parser.on('attribute', ({ name, value }) => {
    if (localName(name) === 'nil') nil = isNilValue(value);
  });
  parser.on('opentag', (tag) => {
    tagEvents++;
    depth++;
    names[depth] = localName(tag.name);
    texts[depth] = '';
    nils[depth] = nil;
    children[depth] = undefined;
    nil = false;
  });
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    tagEvents++;
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
    addChild(name, value);
  });
  try {
    let from = 0;
    if (plainContent) {
      for (let gt = xml.indexOf('>'); gt >= 0; gt = xml.indexOf('>', gt + 1)) {
        // An end tag, comment or instruction next leaves nothing plain to read.
        if (xml.charCodeAt(gt + 1) === 0x3c && !isNameStart(xml.charCodeAt(gt + 2))) continue;
        if (gt > from) parser.write(xml.slice(from, gt));
        const before = tagEvents;
        parser.write('>');
        from = tagEvents !== before && depth > 0 ? readPlainContent(gt + 1) : gt + 1;
        gt = from - 1;
      }
    }
    parser.write(from === 0 ? xml : xml.slice(from));
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
  const root = parseXmlTree(xml);
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
