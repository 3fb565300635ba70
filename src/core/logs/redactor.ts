const MASK = '***';
const MIN_SECRET_LENGTH = 4;

const SENSITIVE_WORD = 'password|passwd|passphrase|pwd|secret|token|api[-_]?key|private[-_]?key|credentials?';

type Rule = readonly [RegExp, string | ((...groups: string[]) => string)];

/** Ordered: the structured forms first, so the loose key=value rule only sees what is left. */
const RULES: readonly Rule[] = [
  // A key without END (a truncated message) is masked to the end of the text.
  [
    /(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    (_m, begin, end) => `${begin}${MASK}${end}`,
  ],
  [
    /(<(?:[\w.-]+:)?(\w*(?:Password|Passphrase|Secret|ApiKey|PrivateKey)|PKCS12Cert|PKCS12File|(?:Access|Refresh|Bearer|Session|Api)?Token)(?:\s[^>]*)?(?<!\/)>)[\s\S]*?(<\/(?:[\w.-]+:)?\2\s*>|$)/gi,
    (_m, open, _name, close) => `${open}${MASK}${close}`,
  ],
  [
    new RegExp(
      `("[^"\\\\]*?(?:${SENSITIVE_WORD}|pkcs12|pfx|p12|authorization)[^"\\\\]*"\\s*:\\s*)(?:"(?:[^"\\\\]|\\\\.)*"|true|false|null|-?\\d[\\d.eE+-]*)`,
      'gi',
    ),
    `$1"${MASK}"`,
  ],
  [
    /\b((?:proxy-)?authorization\s*[:=]\s*)(?:(bearer|basic|digest|negotiate|token)\s+)?("[^"]*"|[^\s,;&]+)/gi,
    (_m, head, scheme) => `${head}${scheme ? `${scheme} ` : ''}${MASK}`,
  ],
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, `$1${MASK}`],
  [/\b((?:set-)?cookie\s*:\s*)[^\r\n]+/gi, `$1${MASK}`],
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]*):[^\s/?#]*@/gi, `$1:${MASK}@`],
  // A quoted value ends the secret only where whitespace, & or the end follows: a password may
  // itself start with a quoted part ('',aaaa), so anything glued to the closing quote is masked too.
  [
    new RegExp(
      `((?:^|[^\\w.-])[\\w.-]*?(?:${SENSITIVE_WORD})[\\w.-]*\\s*[=:]\\s*)(?:"[^"]*"(?=[\\s&]|$)|'[^']*'(?=[\\s&]|$)|[^\\s&]+)`,
      'gi',
    ),
    `$1${MASK}`,
  ],
];

/**
 * Masks what must never reach a log file, at any level: passwords and tokens in XML, JSON, query
 * strings, key=value text and Authorization headers; PEM private keys; PKCS#12 blobs; URL
 * credentials; and any exact value registered at run time (with its URL-, XML- and JSON-escaped
 * forms).
 *
 * @example
 *   const r = new Redactor();
 *   r.registerSecret('s3cret-pw');
 *   r.redact('<ns1:Password>x</ns1:Password> login s3cret-pw') → '<ns1:Password>***</ns1:Password> login ***'
 */
export class Redactor {
  private readonly secrets = new Set<string>();
  private secretsRe: RegExp | undefined;

  /** Masks this exact value wherever it appears from now on; values under 4 characters are ignored. */
  registerSecret(value: string): void {
    if (value.length < MIN_SECRET_LENGTH) return;
    const forms = [value, encodeURIComponent(value), escapeXml(value), JSON.stringify(value).slice(1, -1)];
    const before = this.secrets.size;
    forms.forEach((f) => this.secrets.add(f));
    if (this.secrets.size === before) return;
    const alternatives = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.secretsRe = new RegExp(alternatives.join('|'), 'g');
  }

  redact(text: string): string {
    let out = this.secretsRe ? text.replace(this.secretsRe, MASK) : text;
    for (const [re, replacement] of RULES) {
      out = typeof replacement === 'string' ? out.replace(re, replacement) : out.replace(re, replacement);
    }
    return out;
  }
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
