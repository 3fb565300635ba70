import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { afterAll, describe, expect, it } from 'vitest';
import { GlobalSignClient, type SoapPoster } from './globalsign-client.ts';
import { GlobalSignError } from './globalsign-error.ts';
import { OPERATION_NAMES, OPERATIONS, type OperationName } from './operation-table.ts';
import { buildEnvelope } from './soap-envelope.ts';
import {
  CSR,
  dvOrderInput,
  dvValidationInput,
  evOrderInput,
  fullOrderParameters,
  orderParameters,
  ovOrderInput,
  sans,
  xsdDir,
} from './test-builders.ts';

interface Captured {
  url: string;
  body: string;
}

async function capture(call: (c: GlobalSignClient) => Promise<unknown>): Promise<Captured> {
  const calls: Captured[] = [];
  const transport: SoapPoster = {
    post: async (url, body) => {
      calls.push({ url: url.href, body });
      return { status: 503, body: '' };
    },
  };
  const client = new GlobalSignClient({
    baseUrl: 'https://test-gcc.globalsign.com/kb/ws/v1/',
    username: 'PAR12345_api',
    password: 'pa<ss>&"word',
    transport,
    retry: { attempts: 1 },
  });
  await call(client).catch((e: unknown) => {
    if (!(e instanceof GlobalSignError) || e.code !== 'GLOBALSIGN_HTTP_STATUS') throw e;
  });
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

/** The first child of soap:Body, which carries its own namespace declaration. */
function wrapperOf(envelope: string): string {
  const m = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(envelope);
  if (!m) throw new Error('no soap:Body');
  return m[1]!;
}

type Case = [label: string, op: OperationName, call: (c: GlobalSignClient) => Promise<unknown>];

const CASES: Case[] = [
  ['DecodeCSR', 'DecodeCSR', (c) => c.decodeCsr({ csr: CSR, productType: 'DV_LOW' })],
  [
    'ValidateOrderParameters minimal',
    'ValidateOrderParameters',
    (c) => c.validateOrderParameters({ order: orderParameters() }),
  ],
  [
    'ValidateOrderParameters full',
    'ValidateOrderParameters',
    (c) =>
      c.validateOrderParameters({
        order: fullOrderParameters('OV'),
        keyLength: '2048',
        pin: '1234',
        fqdn: 'www.example.com',
        dvCsrInfo: { country: 'JP' },
        ovCsrInfo: {
          organizationName: 'Example K.K.',
          organizationUnit: 'IT',
          locality: 'Shibuya',
          stateOrProvince: 'Tokyo',
          country: 'JP',
        },
        sanEntries: sans,
      }),
  ],
  ['GetDVApproverList minimal', 'GetDVApproverList', (c) => c.getDvApproverList({ fqdn: 'www.example.com' })],
  [
    'GetDVApproverList full',
    'GetDVApproverList',
    (c) => c.getDvApproverList({ fqdn: 'www.example.com', orderId: 'CEAP1', sanEntries: sans }),
  ],
  ['DVOrder minimal', 'DVOrder', (c) => c.dvOrder(dvOrderInput())],
  ['DVOrder full', 'DVOrder', (c) => c.dvOrder(dvOrderInput(true))],
  ['URLVerification minimal', 'URLVerification', (c) => c.urlVerification(dvValidationInput('DV_LOW_URL'))],
  [
    'URLVerification full',
    'URLVerification',
    (c) => c.urlVerification(dvValidationInput('DV_HIGH_URL', true)),
  ],
  [
    'URLVerificationForIssue',
    'URLVerificationForIssue',
    (c) => c.urlVerificationForIssue({ orderId: 'CEAP1', approverUrl: 'http://www.example.com' }),
  ],
  ['DVDNSOrder minimal', 'DVDNSOrder', (c) => c.dvDnsOrder(dvValidationInput('DV_LOW_DNS'))],
  ['DVDNSOrder full', 'DVDNSOrder', (c) => c.dvDnsOrder(dvValidationInput('DV_HIGH_DNS', true))],
  [
    'DVDNSVerificationForIssue',
    'DVDNSVerificationForIssue',
    (c) => c.dvDnsVerificationForIssue({ orderId: 'CEAP1', approverFqdn: 'example.com' }),
  ],
  ['OVOrder minimal', 'OVOrder', (c) => c.ovOrder(ovOrderInput())],
  ['OVOrder full', 'OVOrder', (c) => c.ovOrder(ovOrderInput(true))],
  ['EVOrder minimal', 'EVOrder', (c) => c.evOrder(evOrderInput())],
  ['EVOrder full', 'EVOrder', (c) => c.evOrder(evOrderInput(true))],
  ['ResendEmail', 'ResendEmail', (c) => c.resendEmail({ orderId: 'CEAP1' })],
  [
    'ChangeApproverEmail',
    'ChangeApproverEmail',
    (c) =>
      c.changeApproverEmail({
        orderId: 'CEAP1',
        approverEmail: 'admin@example.com',
        fqdn: 'www.example.com',
      }),
  ],
  ['ModifyOrder', 'ModifyOrder', (c) => c.modifyOrder({ orderId: 'CEAP1', operation: 'CANCEL' })],
  ['ReIssue minimal', 'ReIssue', (c) => c.reissue({ targetOrderId: 'CEAP1', csr: CSR })],
  [
    'ReIssue full',
    'ReIssue',
    (c) =>
      c.reissue({
        targetOrderId: 'CEAP1',
        csr: CSR,
        dnsNames: ['www.example.com', 'example.com'],
        hashAlgorithm: 'SHA256',
        extensions: [{ name: 'KeyUsage', value: 'digitalSignature' }],
      }),
  ],
  [
    'ChangeSubjectAltName minimal',
    'ChangeSubjectAltName',
    (c) => c.changeSubjectAltName({ targetOrderId: 'CEAP1' }),
  ],
  [
    'ChangeSubjectAltName full',
    'ChangeSubjectAltName',
    (c) =>
      c.changeSubjectAltName({
        targetOrderId: 'CEAP1',
        orderId: 'CEAP2',
        approverEmail: 'admin@example.com',
        sanEntries: sans,
        pin: '1234',
      }),
  ],
  ['GetOrderByOrderID default options', 'GetOrderByOrderID', (c) => c.getOrderByOrderId('CEAP1')],
  [
    'GetOrderByOrderID all options',
    'GetOrderByOrderID',
    (c) =>
      c.getOrderByOrderId('CEAP1', {
        orderStatus: true,
        orderOption: true,
        certificateInfo: true,
        fulfillment: true,
        caCerts: true,
        originalCsr: true,
        pkcs12: true,
        sanEntries: true,
      }),
  ],
  [
    'GetModifiedOrders',
    'GetModifiedOrders',
    (c) =>
      c.getModifiedOrders({ from: new Date('2026-04-01T00:00:00Z'), to: new Date('2026-04-02T00:00:00Z') }),
  ],
  ['GetCertificateOrders minimal', 'GetCertificateOrders', (c) => c.getCertificateOrders()],
  [
    'GetCertificateOrders full',
    'GetCertificateOrders',
    (c) =>
      c.getCertificateOrders({
        from: new Date('2026-01-01T00:00:00Z'),
        to: new Date('2026-04-01T00:00:00Z'),
        fqdn: 'www.example.com',
        productCode: 'DV_LOW',
        orderStatus: '4',
        subId: 'S01',
      }),
  ],
];

const tmp = mkdtempSync(path.join(tmpdir(), 'gs-xsd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function xmllint(schema: string, file: string): { ok: boolean; output: string } {
  const r = spawnSync('xmllint', ['--noout', '--schema', path.join(xsdDir, schema), file], {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe('every request the client builds is valid against GlobalSign’s XSD', () => {
  it('covers every operation except AccountSnapshot (which has no public schema)', () => {
    const covered = new Set(CASES.map(([, op]) => op));
    expect(OPERATION_NAMES.filter((n) => !covered.has(n))).toEqual(['AccountSnapshot']);
  });

  it.each(CASES)('%s validates and goes to its service URL', async (label, op, call) => {
    const { url, body } = await capture(call);
    const spec = OPERATIONS[op];
    expect(url).toBe(`https://test-gcc.globalsign.com/kb/ws/v1/${spec.service}`);
    const wrapper = wrapperOf(body);
    expect(wrapper).toContain(`<${spec.header}>`);
    const file = path.join(tmp, `${label.replace(/\W+/g, '-')}.xml`);
    writeFileSync(file, wrapper);
    const schema =
      spec.service === 'GASService' ? 'GASService-kb_ws_v1.xsd' : 'ServerSSLService-kb_ws_v1.xsd';
    const result = xmllint(schema, file);
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
  });

  it('AccountSnapshot has the shape ISP and node clients send: Request with a QueryRequestHeader only', async () => {
    const { url, body } = await capture((c) => c.accountSnapshot());
    expect(url).toBe('https://test-gcc.globalsign.com/kb/ws/v1/AccountService');
    const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, preserveOrder: true });
    const doc = parser.parse(wrapperOf(body)) as Array<Record<string, unknown>>;
    expect(doc).toHaveLength(1);
    const wrapper = doc[0]!;
    expect(wrapper[':@']).toEqual({ '@_xmlns:v1': 'https://system.globalsign.com/kb/ws/v1/' });
    const children = wrapper['v1:AccountSnapshot'] as Array<Record<string, unknown>>;
    expect(children.map((c) => Object.keys(c)[0])).toEqual(['Request']);
    const request = children[0]!['Request'] as Array<Record<string, unknown>>;
    expect(request.map((c) => Object.keys(c)[0])).toEqual(['QueryRequestHeader']);
    const header = request[0]!['QueryRequestHeader'] as Array<Record<string, unknown>>;
    expect(header.map((c) => Object.keys(c)[0])).toEqual(['AuthToken']);
    const token = header[0]!['AuthToken'] as Array<Record<string, unknown>>;
    expect(token.map((c) => Object.keys(c)[0])).toEqual(['UserName', 'Password']);
  });
});

describe('buildEnvelope', () => {
  const creds = { username: 'PAR12345_api', password: 'secret' };
  // Read back with saxes, a strict parser independent of the builder, keeping text untrimmed.
  const orderIdOf = (xml: string): string => {
    const parser = new SaxesParser();
    let inside = false;
    let text = '';
    parser.on('opentag', (t) => (inside = t.name === 'OrderID'));
    parser.on('text', (t) => {
      if (inside) text += t;
    });
    parser.on('closetag', () => (inside = false));
    parser.write(xml).close();
    return text;
  };

  it('escapes any user text so it reads back unchanged (no string concatenation of user data)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        // eslint-disable-next-line no-control-regex
        const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/g, '');
        const xml = buildEnvelope(OPERATIONS.ModifyOrder, creds, [['OrderID', clean]]);
        expect(orderIdOf(xml)).toBe(clean);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['a<b>&c', ']]>', '&amp;#xD;', `"'`, '<!--x--><![CDATA[y]]>'])(
    'escapes markup in user text (%s)',
    (value) => {
      expect(orderIdOf(buildEnvelope(OPERATIONS.ModifyOrder, creds, [['OrderID', value]]))).toBe(value);
    },
  );

  it('refuses control characters instead of sending XML GlobalSign cannot parse', async () => {
    const client = new GlobalSignClient({
      baseUrl: 'http://127.0.0.1:9/kb/ws/v1/',
      username: 'u',
      password: 'p',
      transport: { post: () => Promise.reject(new Error('must not be called')) },
    });
    await expect(client.modifyOrder({ orderId: 'CE\u0001', operation: 'CANCEL' })).rejects.toMatchObject({
      code: 'GLOBALSIGN_INVALID_INPUT',
      party: 'client-data',
      outcomeUnknown: false,
    });
    await expect(client.getOrderByOrderId('  ')).rejects.toMatchObject({ code: 'GLOBALSIGN_INVALID_INPUT' });
  });

  it('sends the SAN=true option exactly once whenever SAN entries are sent', async () => {
    const { body } = await capture((c) => c.dvOrder(dvOrderInput(true)));
    expect(body.match(/<OptionName>SAN<\/OptionName>/g)).toHaveLength(1);
    const minimal = await capture((c) => c.dvOrder(dvOrderInput()));
    expect(minimal.body).not.toContain('<Options>');
    const auto = await capture((c) => c.dvOrder({ ...dvOrderInput(), sanEntries: sans }));
    expect(auto.body).toContain(
      '<Option><OptionName>SAN</OptionName><OptionValue>true</OptionValue></Option>',
    );
    expect(auto.body).toContain(
      '<SANEntry><SANOptionType>13</SANOptionType><SubjectAltName>*.example.net</SubjectAltName>',
    );
  });

  it('writes dates in GlobalSign’s format and requires OVOrder’s SubID even when empty', async () => {
    const { body } = await capture((c) =>
      c.getModifiedOrders({
        from: new Date('2026-04-01T00:00:00+02:00'),
        to: new Date('2026-04-02T00:00:00Z'),
      }),
    );
    expect(body).toContain(
      '<FromDate>2026-03-31T22:00:00.000Z</FromDate><ToDate>2026-04-02T00:00:00.000Z</ToDate>',
    );
    const ov = await capture((c) => c.ovOrder(ovOrderInput()));
    expect(ov.body).toMatch(/<SubID\/>|<SubID><\/SubID>/);
  });
});
