import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed XML element: text, or children by local name (repeated names become arrays). */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

export interface SoapRequest {
  /** Local name of the wrapper element, e.g. `DVOrder` (namespace prefixes are ignored, as GlobalSign does). */
  operation: string;
  /** The `Request` element below the wrapper (empty when missing). */
  request: XmlNode;
}

/** Why a body is not a SOAP request at all: answered with a soap:Fault. */
export class SoapFault extends Error {
  constructor(
    readonly faultcode: 'soap:Client' | 'soap:Server',
    message: string,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

// The parser decodes the five XML entities; character references (`&#xD;` in PEM) are decoded
// here, which is much cheaper than the parser's HTML entity table.
function decodeCharRefs(t: string): string {
  return t.includes('&#')
    ? t.replace(/&#(x[0-9a-f]+|\d+);/gi, (_, n: string) =>
        String.fromCodePoint(n[0] === 'x' || n[0] === 'X' ? parseInt(n.slice(1), 16) : Number(n)),
      )
    : t;
}

/**
 * Parses a SOAP 1.1 envelope leniently: any namespace on the wrapper, extra attributes ignored,
 * children in any order. Throws SoapFault for malformed XML or a body without a wrapper.
 *
 * @example parseSoapRequest(xml).operation // 'GetOrderByOrderID'
 */
export function parseSoapRequest(xml: string): SoapRequest {
  if (/<!DOCTYPE/i.test(xml))
    throw new SoapFault('soap:Client', 'Document type declarations are not allowed.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new SoapFault('soap:Client', `Error reading XMLStreamReader: ${valid.err.msg}`);
  const doc = parser.parse(xml) as Record<string, XmlNode>;
  const envelope = doc['Envelope'];
  const body = typeof envelope === 'object' ? (envelope as Record<string, XmlNode>)['Body'] : undefined;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SoapFault('soap:Client', 'Message is not a SOAP 1.1 envelope with a Body.');
  }
  const operation = Object.keys(body).find((k) => !k.startsWith('@_'));
  if (!operation) throw new SoapFault('soap:Client', 'The SOAP Body is empty.');
  const wrapper = first(body[operation]);
  const request = typeof wrapper === 'object' ? first(wrapper['Request']) : undefined;
  return { operation, request: request ?? {} };
}

function first(node: XmlNode | XmlNode[] | undefined): XmlNode | undefined {
  return Array.isArray(node) ? node[0] : node;
}

function isNil(node: XmlNode): boolean {
  return typeof node === 'object' && (node['@_nil'] === 'true' || node['@_nil'] === '1');
}

/** A child element; undefined when absent or nil. */
export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const c = first(node[name]);
  return c === undefined || isNil(c) ? undefined : c;
}

/** Repeated child elements (nil ones dropped). */
export function list(node: XmlNode | undefined, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const c = node[name];
  if (c === undefined) return [];
  return (Array.isArray(c) ? c : [c]).filter((n) => !isNil(n));
}

/** Text of a node (attributes ignored); an empty element is ''. */
export function textOf(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return decodeCharRefs(node);
  const t = node['#text'];
  return typeof t === 'string' ? decodeCharRefs(t) : '';
}

/** Text of a child element; undefined when absent, nil or blank. */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  const t = textOf(child(node, name));
  return t === undefined || t === '' ? undefined : t;
}

/** Text at a dotted path below `node`, e.g. `OrderRequestParameter.ValidityPeriod.Months`. */
export function at(node: XmlNode | undefined, path: string): string | undefined {
  const parts = path.split('.');
  let cur = node;
  for (const p of parts.slice(0, -1)) cur = child(cur, p);
  return text(cur, parts[parts.length - 1]!);
}

/** The string children of a flat block such as ContactInfo, by name. */
export function fields(node: XmlNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!node || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@_') || k === '#text') continue;
    const t = textOf(first(v));
    if (t !== undefined && typeof first(v) !== 'object') out[k] = t;
    else if (typeof first(v) === 'object' && !isNil(first(v)!) && '#text' in (first(v) as object))
      out[k] = t ?? '';
  }
  return out;
}
