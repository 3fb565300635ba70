/**
 * A minimal DER encoder and TLV reader: enough to read PKCS#10 requests and to write
 * certificates and degenerate PKCS#7 bundles without an ASN.1 framework on the hot path.
 *
 * @example
 *   const der = seq(int(1n), oid('2.5.4.3'), utf8('example.com'));
 *   readTlv(der, 0).tag; // 0x30
 */

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = content.length === 1 ? content[0]! : Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
export const octets = (b: Buffer): Buffer => tlv(0x04, b);
export const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
export const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
export const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'latin1'));
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
/** Context-specific constructed tag `[n]` (explicit tagging, or implicit for constructed types). */
export const ctx = (n: number, ...items: Buffer[]): Buffer => tlv(0xa0 | n, ...items);
/** Context-specific primitive tag `[n]` (implicit tagging of a primitive, e.g. GeneralName). */
export const ctxPrim = (n: number, content: Buffer): Buffer => tlv(0x80 | n, content);

export function int(value: bigint | number | Buffer): Buffer {
  if (Buffer.isBuffer(value)) {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0 && (value[start + 1]! & 0x80) === 0) start++;
    const v = value.subarray(start);
    return tlv(0x02, (v[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), v]) : v);
  }
  let hex = BigInt(value).toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return int(Buffer.from(hex, 'hex'));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let n = Math.floor(p / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime before 2050, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(compact.slice(2), 'latin1'))
    : tlv(0x18, Buffer.from(compact, 'latin1'));
}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(buf: Buffer, at: number): Tlv {
  if (at + 2 > buf.length) throw new RangeError('DER: truncated');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError('DER: multi-byte tags not supported');
  let len = buf[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > buf.length) throw new RangeError('DER: truncated');
  return { tag, start: at, contentStart: p, end: p + len };
}

export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end;) {
    const t = readTlv(buf, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

export const whole = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end);
export const content = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.contentStart, t.end);

export function readOid(buf: Buffer, t: Tlv): string {
  if (t.tag !== 0x06) throw new RangeError('DER: expected OID');
  const b = content(buf, t);
  const parts: number[] = [];
  let v = 0;
  for (let i = 0; i < b.length; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if ((b[i]! & 0x80) === 0) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function pemToDer(pem: string, label?: string): Buffer {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
  const m = re.exec(pem);
  if (
    !m ||
    (label && m[1] !== label && !(label === 'CERTIFICATE REQUEST' && m[1] === 'NEW CERTIFICATE REQUEST'))
  ) {
    throw new RangeError(`PEM: no ${label ?? 'block'} found`);
  }
  return Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64');
}

/** PEM with CRLF line ends, as GlobalSign returns certificates. */
export function derToPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64');
  const lines: string[] = [`-----BEGIN ${label}-----`];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`-----END ${label}-----`);
  return lines.join('\r\n') + '\r\n';
}
