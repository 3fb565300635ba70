import ipaddr from 'ipaddr.js';
import { toASCII } from 'tr46';
import { AppError } from '../core/errors/index.ts';

export const NAME_KINDS = ['dns', 'wildcard', 'ip'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export interface NormalisedName {
  /** Lowercase A-label form without trailing dot (`*.example.com`, `xn--bcher-kva.de`), or the canonical IP. */
  readonly name: string;
  readonly kind: NameKind;
}

export interface NormaliseNameOptions {
  /** Whether the product allows `*.` names; default true. */
  readonly allowWildcard?: boolean;
}

export const MAX_LABEL_LENGTH = 63;
export const MAX_NAME_LENGTH = 253;

/**
 * Top-level domains that only resolve inside a network or are reserved (RFC 6761, RFC 6762,
 * RFC 9476, ICANN's name-collision list, home.arpa under arpa): no public CA may certify names under them.
 */
export const INTERNAL_SUFFIXES = [
  'alt',
  'arpa',
  'corp',
  'example',
  'home',
  'internal',
  'intranet',
  'invalid',
  'lan',
  'local',
  'localdomain',
  'localhost',
  'onion',
  'private',
  'test',
] as const;

const LDH_ALLOWED = 'letters a-z, digits 0-9 and hyphens';
const ASCII_ONLY_RE = /^[\x20-\x7e]*$/;
const XN_LABEL_RE = /(^|[.\u3002\uff0e\uff61])xn--/i;
/** The separators UTS #46 maps to a full stop. */
const IDNA_DOTS_RE = /[.\u3002\uff0e\uff61]/;
/** Blocks of right-to-left and Arabic-number characters (Bidi classes R, AL, AN). */
const RTL_RE = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const INTERNAL_SUFFIX_SET: ReadonlySet<string> = new Set(INTERNAL_SUFFIXES);

/**
 * Normalises and validates one certificate name: trims, lowercases, drops the trailing dot, turns
 * IDNs into A-labels (UTS #46), and refuses what no public certificate may hold (invalid labels,
 * internal or single-label names, misplaced wildcards, private or reserved IP addresses).
 * @example normaliseName(' Bücher.Example.COM. ') → { name: 'xn--bcher-kva.example.com', kind: 'dns' }
 */
export function normaliseName(input: string, options: NormaliseNameOptions = {}): NormalisedName {
  const trimmed = input.trim();
  if (trimmed === '')
    refuseName('DOMAIN_INVALID_NAME', input, 'is empty', 'a domain name such as example.com');
  if (trimmed.includes(':') || trimmed.startsWith('[')) return normaliseIpv6(input, trimmed);

  const ascii = toAsciiName(input, trimmed);
  const name = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (/^[0-9.]+$/.test(name)) return normaliseIpv4(input, name);

  if (!name.includes('*')) {
    checkHostName(input, name);
    return { name, kind: 'dns' };
  }
  if (!name.startsWith('*.') || name.indexOf('*', 1) !== -1) {
    refuseName(
      'DOMAIN_INVALID_WILDCARD',
      input,
      'has a misplaced wildcard',
      'a wildcard only as the whole leftmost label, as in *.example.com',
    );
  }
  if (options.allowWildcard === false) {
    refuseName('DOMAIN_WILDCARD_NOT_ALLOWED', input, 'is a wildcard', 'this product only takes exact names');
  }
  if (!name.slice(2).includes('.')) {
    refuseName(
      'DOMAIN_INVALID_WILDCARD',
      input,
      'covers a whole top-level domain',
      'a wildcard over a domain of at least two labels, as in *.example.com',
    );
  }
  checkHostName(input, name.slice(2), name.length);
  return { name, kind: 'wildcard' };
}

function toAsciiName(input: string, trimmed: string): string {
  if (ASCII_ONLY_RE.test(trimmed) && !XN_LABEL_RE.test(trimmed)) return trimmed.toLowerCase();
  const ascii =
    RTL_RE.test(trimmed) || XN_LABEL_RE.test(trimmed) ? convertToAscii(trimmed) : convertLabels(trimmed);
  if (ascii === null) {
    refuseName(
      'DOMAIN_INVALID_IDN',
      input,
      'is not a valid internationalised name (UTS #46)',
      'Unicode names that convert to valid A-labels, or well-formed xn-- labels',
    );
  }
  return ascii;
}

// tr46 costs tens of µs per name; converting only the non-ASCII labels gives the same A-labels
// as long as the Bidi rule does not span labels, which the caller rules out (no RTL, no xn--).
function convertLabels(text: string): string | null {
  const labels = text.split(IDNA_DOTS_RE);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as string;
    const converted = ASCII_ONLY_RE.test(label) ? label.toLowerCase() : convertToAscii(label);
    if (converted === null) return null;
    labels[i] = converted;
  }
  return labels.join('.');
}

function convertToAscii(text: string): string | null {
  return toASCII(text, {
    checkBidi: true,
    checkHyphens: false,
    checkJoiners: true,
    useSTD3ASCIIRules: false,
    transitionalProcessing: false,
    verifyDNSLength: false,
  });
}

function checkHostName(input: string, host: string, fullLength = host.length): void {
  const labels = host.split('.');
  for (const label of labels) checkLabel(input, label);
  if (fullLength > MAX_NAME_LENGTH) {
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      `is ${fullLength} characters long`,
      `at most ${MAX_NAME_LENGTH} characters`,
    );
  }
  const tld = labels[labels.length - 1] as string;
  if (labels.length < 2) {
    refuseName(
      'DOMAIN_INTERNAL_NAME',
      input,
      'is a single-label (internal) name',
      'a fully qualified public domain name such as example.com',
    );
  }
  if (/^[0-9]+$/.test(tld)) {
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      `ends in the numeric label "${tld}"`,
      'a domain name or an IP address',
    );
  }
  if (INTERNAL_SUFFIX_SET.has(tld)) {
    refuseName(
      'DOMAIN_INTERNAL_NAME',
      input,
      `is an internal name (".${tld}" is not a public top-level domain)`,
      'names under a public top-level domain',
    );
  }
}

function checkLabel(input: string, label: string): void {
  if (LABEL_RE.test(label)) return;
  if (label === '')
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      'has an empty label',
      `labels of 1 to ${MAX_LABEL_LENGTH} characters`,
    );
  if (label.length > MAX_LABEL_LENGTH) {
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      `has a label of ${label.length} characters`,
      `labels of at most ${MAX_LABEL_LENGTH} characters`,
    );
  }
  const bad = /[^a-z0-9-]/.exec(label);
  if (bad) {
    const shown = bad[0] === '*' ? 'a "*" outside the leftmost label' : `the character "${bad[0]}"`;
    const code = bad[0] === '*' ? 'DOMAIN_INVALID_WILDCARD' : 'DOMAIN_INVALID_NAME';
    refuseName(code, input, `has ${shown} in "${label}"`, LDH_ALLOWED);
  }
  refuseName(
    'DOMAIN_INVALID_NAME',
    input,
    `has the label "${label}" starting or ending with a hyphen`,
    `${LDH_ALLOWED}, not at either end of a label`,
  );
}

function normaliseIpv4(input: string, text: string): NormalisedName {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      'is neither a domain name nor an IPv4 address',
      'a domain name, or an IPv4 address in four decimal parts such as 192.0.2.1',
    );
  }
  return checkPublicIp(input, ipaddr.IPv4.parse(text).toString(), ipaddr.IPv4.parse(text).range());
}

function normaliseIpv6(input: string, trimmed: string): NormalisedName {
  const text = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) {
    refuseName(
      'DOMAIN_INVALID_NAME',
      input,
      'is not a valid IPv6 address',
      'an IPv6 address such as 2001:4860:4860::8888',
    );
  }
  const address = ipaddr.IPv6.parse(text);
  return checkPublicIp(input, address.toRFC5952String(), address.range());
}

function checkPublicIp(input: string, canonical: string, range: string): NormalisedName {
  if (range !== 'unicast') {
    refuseName(
      'DOMAIN_PRIVATE_IP',
      input,
      `is a ${range.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)} address, not a public one`,
      'public (globally routable) IP addresses only',
    );
  }
  return { name: canonical, kind: 'ip' };
}

type NameErrorCode =
  | 'DOMAIN_INVALID_NAME'
  | 'DOMAIN_INVALID_IDN'
  | 'DOMAIN_INVALID_WILDCARD'
  | 'DOMAIN_WILDCARD_NOT_ALLOWED'
  | 'DOMAIN_INTERNAL_NAME'
  | 'DOMAIN_PRIVATE_IP';

function refuseName(code: NameErrorCode, input: string, problem: string, allowed: string): never {
  throw new AppError(code, `"${input.trim()}" ${problem}; allowed: ${allowed}.`, { name: input, allowed });
}
