import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.ts';
import { createLogRegistry } from './log-registry.ts';
import { Redactor } from './redactor.ts';

const PEM_KEY = [
  '-----BEGIN ENCRYPTED PRIVATE KEY-----',
  'MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIb3cTs5iZ5QACAggA',
  'MAwGCCqGSIb3DQIJBQAwFAYIKoZIhvcNAwcECKZ2M0yQeZxKBIIEyKeySecretMat',
  '-----END ENCRYPTED PRIVATE KEY-----',
].join('\n');

/** A registry at level 9 for everything, and a way to read all it wrote. */
function level9() {
  const root = mkdtempSync(join(tmpdir(), 'certbill-redact-'));
  const etcDir = join(root, 'etc');
  mkdirSync(etcDir);
  writeFileSync(join(etcDir, 'debug.conf'), '*.* 9\n');
  const dir = join(root, 'log');
  const registry = createLogRegistry({ dir, etcDir, clock: new TestClock(), pid: 1 });
  const log = registry.logger('pmglobalsign');
  return {
    registry,
    log,
    written: () => readFileSync(join(dir, 'pmglobalsign.log'), 'utf8'),
  };
}

describe('Redactor', () => {
  const r = new Redactor();

  it.each([
    ['<Password>hunter22</Password>', '<Password>***</Password>'],
    ['<ns1:password xsi:type="x">hunter22</ns1:password>', '<ns1:password xsi:type="x">***</ns1:password>'],
    [
      '<AuthToken><UserName>ops</UserName><Password><![CDATA[a<b]]></Password></AuthToken>',
      '<AuthToken><UserName>ops</UserName><Password>***</Password></AuthToken>',
    ],
    ['<PKCS12Cert>MIIKSQIBAzCCCg8GCSqGSIb3</PKCS12Cert>', '<PKCS12Cert>***</PKCS12Cert>'],
    ['<Password/><UserName>ops</UserName>', '<Password/><UserName>ops</UserName>'],
    ['<Password>cut off', '<Password>***'],
    ['{"user":"ops","password":"hu\\"nter22","n":1}', '{"user":"ops","password":"***","n":1}'],
    [
      '{"privateKey": "abc", "apiKey": 12345, "token": null}',
      '{"privateKey": "***", "apiKey": "***", "token": "***"}',
    ],
    ['{"client_secret":"abc","Authorization":"Bearer abc"}', '{"client_secret":"***","Authorization":"***"}'],
    ['GET /cb?user=ops&password=hunter22&x=1', 'GET /cb?user=ops&password=***&x=1'],
    ['login token=abc123 ok', 'login token=*** ok'],
    ['db_password: "two words" next', 'db_password: *** next'],
    ['Authorization: Bearer eyJhbGciOi.x.y', 'Authorization: Bearer ***'],
    ['authorization: Basic dXNlcjpwYXNz', 'authorization: Basic ***'],
    ['sent with bearer abcdefgh1234', 'sent with bearer ***'],
    ['Cookie: session=abc; theme=dark', 'Cookie: ***'],
    ['smtp://mailer:p@ss:w0rd@mail.example.com:587', 'smtp://mailer:***@mail.example.com:587'],
    [
      'postgres://certbill:pw@db/certbill and https://example.com/a:b',
      'postgres://certbill:***@db/certbill and https://example.com/a:b',
    ],
    ['DVOrder order=CE2026 120ms success=0', 'DVOrder order=CE2026 120ms success=0'],
  ])('masks %j', (input, expected) => {
    expect(r.redact(input)).toBe(expected);
  });

  it('masks PEM private keys, also encrypted and JSON-escaped ones, keeping certificates', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(r.redact(`key:\n${PEM_KEY}\n${cert}`)).toBe(
      `key:\n-----BEGIN ENCRYPTED PRIVATE KEY-----***-----END ENCRYPTED PRIVATE KEY-----\n${cert}`,
    );
    expect(r.redact(JSON.stringify({ pem: PEM_KEY }))).not.toContain('MIIFHD');
    expect(r.redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEow truncated')).toBe(
      '-----BEGIN RSA PRIVATE KEY-----***',
    );
  });

  it('masks a registered value and its escaped forms wherever it appears', () => {
    const own = new Redactor();
    own.registerSecret('p&ss w<rd');
    own.registerSecret('abc');
    expect(own.redact('a p&ss w<rd b p%26ss%20w%3Crd c p&amp;ss w&lt;rd abc')).toBe('a *** b *** c *** abc');
  });
});

describe('the log files', () => {
  it('never receive a password, key or token even at level 9', () => {
    const { log, written, registry } = level9();
    registry.registerSecret('Db-Module-Pw');
    log.write(
      'debug',
      'soap',
      `<soap:Envelope><AuthToken><UserName>ops</UserName><Password>hunter22</Password></AuthToken></soap:Envelope>`,
    );
    log.write('debug', 'soap', `response <PKCS12Cert>MIIKSQIBAzCCCg8</PKCS12Cert> ${PEM_KEY}`);
    log.write('debug', 'http', 'Authorization: Bearer tok-123456 {"password":"hunter22"}');
    log.write('debug', 'Db-Module-Pw', 'module password is Db-Module-Pw');
    const text = written();
    for (const leak of ['hunter22', 'MIIKSQ', 'MIIFHD', 'tok-123456', 'Db-Module-Pw'])
      expect(text).not.toContain(leak);
    expect(text).toContain('<UserName>ops</UserName>');
  });

  const password = (unit: fc.Arbitrary<string>) => fc.string({ unit, minLength: 4, maxLength: 24 });
  const anyChar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
  const textChar = fc.constantFrom(...'abcXYZ019!$%()*+,-./:;<=>?@[]^_`{|}~"\''.split(''));
  const filler = fc.string({ unit: fc.constantFrom(...'abc XYZ 019 .,-'.split('')), maxLength: 30 });
  const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  type Template = (secret: string) => string;
  const templates: Array<[string, fc.Arbitrary<string>, Template]> = [
    ['XML', password(anyChar), (s) => `<ns2:Password>${xmlEscape(s)}</ns2:Password>`],
    ['PKCS12', password(anyChar), (s) => `<PKCS12Cert>${xmlEscape(s)}</PKCS12Cert>`],
    ['JSON', password(anyChar), (s) => JSON.stringify({ user: 'ops', password: s })],
    ['query string', password(anyChar), (s) => `/cb?user=ops&password=${encodeURIComponent(s)}`],
    ['URL', password(anyChar), (s) => `smtp://ops:${encodeURIComponent(s)}@mail:587`],
    ['key=value text', password(textChar), (s) => `token=${s}`],
    [
      'Bearer header',
      password(fc.constantFrom(...'abcXYZ019-._~+/'.split(''))),
      (s) => `Authorization: Bearer ${s}`,
    ],
  ];

  it('masks the whole of a key=value password that starts with a quoted part', () => {
    const { log, written } = level9();
    for (const secret of ["'',aaaa", '"x";rest', "'ab'/cd>ef"])
      log.write('debug', 'soap', `a token=${secret} b`);
    const lines = written().trim().split('\n');
    expect(lines.map((l) => l.replace(/^.* DEBUG +/, ''))).toEqual([
      'a token=*** b',
      'a token=*** b',
      'a token=*** b',
    ]);
  });

  it.each(templates)('never receive a random password embedded as %s', (_name, secret, template) => {
    const { log, written } = level9();
    let lines = 0;
    fc.assert(
      fc.property(secret, filler, filler, (s, before, after) => {
        const control = `${before} ${template('***')} ${after}`;
        log.write('debug', 'soap', control);
        log.write('debug', 'soap', `${before} ${template(s)} ${after}`);
        lines += 2;
        const [controlLine, line] = written().split('\n').slice(-3, -1);
        fc.pre(!controlLine!.includes(s) && !controlLine!.includes(xmlEscape(s)));
        expect(line).toBe(controlLine);
      }),
      { numRuns: 150 },
    );
    expect(written().split('\n')).toHaveLength(lines + 1);
  });

  it('never receive a random registered secret, wherever it is embedded', () => {
    const { log, written, registry } = level9();
    fc.assert(
      fc.property(password(anyChar), filler, filler, (s, before, after) => {
        registry.registerSecret(s);
        log.write('debug', 'soap', `${before}${s}${after} ${JSON.stringify({ s })} ${encodeURIComponent(s)}`);
        const line = written().split('\n').at(-2)!;
        fc.pre(!`${before}***${after} {"s":"***"} ***`.includes(s));
        expect(line).not.toContain(s);
      }),
      { numRuns: 150 },
    );
  });
});
