import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr, type CsrKey } from '../../ca-simulator/testing/make-csr.ts';
import {
  GlobalSignError,
  type GlobalSignClient,
  type OrderParameters,
  type SanEntryInput,
} from '../../src/modules/globalsign/index.ts';
import { contact, evOrderInput, ovOrderInput } from '../../src/modules/globalsign/test-builders.ts';
import { serveValidationFile } from './serve-validation-file.ts';
import { startSimulatorSession, type SimulatorSession } from './start-simulator-session.ts';

let s: SimulatorSession;
let gs: GlobalSignClient;
let dir: string;

beforeAll(async () => {
  s = await startSimulatorSession({ balance: '2500.00', currency: 'EUR' });
  gs = s.client();
  dir = mkdtempSync(path.join(tmpdir(), 'certbill-gs-client-'));
});
afterEach(async () => {
  await s.control('faults', undefined, 'DELETE');
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const ORGANIZATION = { O: 'Example K.K.', L: 'Shibuya', ST: 'Tokyo', C: 'JP' };

function order(cn: string, productCode = 'DV_LOW', key: CsrKey = 'p256'): OrderParameters {
  return { productCode, orderKind: 'new', validity: { months: 12 }, csr: makeCsr(cn, key, ORGANIZATION) };
}

/** GetDVApproverList then DVOrder for `fqdn`, approved by its first approver. */
async function placeDvOrder(
  fqdn: string,
  options: { csr?: string; sanEntries?: SanEntryInput[]; client?: GlobalSignClient } = {},
): Promise<string> {
  const client = options.client ?? gs;
  const { orderId, approvers } = await client.getDvApproverList({ fqdn });
  await client.dvOrder({
    order: { ...order(fqdn), ...(options.csr ? { csr: options.csr } : {}) },
    orderId,
    approverEmail: approvers[0]!.email,
    contact,
    ...(options.sanEntries ? { sanEntries: options.sanEntries } : {}),
  });
  return orderId;
}

async function issueDvOrder(fqdn: string, sanEntries?: SanEntryInput[]): Promise<string> {
  const orderId = await placeDvOrder(fqdn, sanEntries ? { sanEntries } : {});
  await s.control(`orders/${orderId}/approve`, {});
  return orderId;
}

async function failure(call: Promise<unknown>): Promise<GlobalSignError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof GlobalSignError) return e;
    throw e;
  }
  throw new Error('the call was expected to fail');
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached within 2 s');
}

function opensslVerify(leafPem: string, interPem: string, rootPem: string, name: string): string {
  const file = (suffix: string, pem: string): string => {
    const p = path.join(dir, `${name}-${suffix}.pem`);
    writeFileSync(p, pem);
    return p;
  };
  const leaf = file('leaf', leafPem);
  const at = String(Math.floor(new Date('2026-05-01T00:00:00Z').getTime() / 1000));
  return execFileSync(
    'openssl',
    [
      'verify',
      '-attime',
      at,
      '-purpose',
      'sslserver',
      '-CAfile',
      file('root', rootPem),
      '-untrusted',
      file('inter', interPem),
      leaf,
    ],
    { encoding: 'utf8' },
  ).replace(leaf, 'leaf');
}

describe('GlobalSignClient against the simulator: operations', () => {
  it('reads the account balance and its currency from AccountSnapshot', async () => {
    const snapshot = await gs.accountSnapshot();
    expect(snapshot).toMatchObject({
      balance: '2500.00',
      currency: 'EUR',
      balanceElement: 'AccountSnapshot/Balance',
      successCode: 0,
      warnings: [],
    });
    expect(snapshot.timestamp).toEqual(new Date('2026-04-02T10:00:00Z'));
  });

  it('decodes a CSR and previews a DV certificate with the common name only', async () => {
    const decoded = await gs.decodeCsr({
      csr: makeCsr('www.example.com', 'rsa2048', ORGANIZATION),
      productType: 'DV',
    });
    expect(decoded.csrData).toEqual({
      commonName: 'www.example.com',
      organization: 'Example K.K.',
      locality: 'Shibuya',
      state: 'Tokyo',
      country: 'JP',
      keyLength: '2048',
    });
    expect(decoded.certificatePreview).toEqual({ commonName: 'www.example.com', keyLength: '2048' });
  });

  it('validates order parameters and quotes the list price and the capped validity', async () => {
    const result = await gs.validateOrderParameters({
      order: order('quote.example.com'),
      fqdn: 'quote.example.com',
    });
    expect(result).toMatchObject({ price: '49.00', currency: 'EUR' });
    expect(result.validityPeriod).toEqual({
      months: '12',
      notBefore: new Date('2026-04-02T10:00:00Z'),
      notAfter: new Date('2026-10-19T09:59:59Z'),
    });
    expect(result.parsedCsr).toMatchObject({ domainName: 'quote.example.com', organization: 'Example K.K.' });
  });

  it('lists the approvers of a name with the OrderID DVOrder must use', async () => {
    const list = await gs.getDvApproverList({ fqdn: 'www.list.example.com' });
    expect(list.orderId).toMatch(/^CESM260402\d{6}$/);
    expect(list.approvers.map((a) => a.email)).toContain('admin@list.example.com');
    expect(list.approvers.map((a) => a.email)).toContain('admin@example.com');
    expect(list.approvers.every((a) => a.type === 'GENERIC')).toBe(true);
  });

  it('issues a DV e-mail order once approved, with a leaf that chains to INTER and ROOT under openssl', async () => {
    const orderId = await placeDvOrder('www.mail.example.com', {
      sanEntries: [{ kind: 'fqdn', name: 'api.mail.example.com' }],
    });
    expect((await gs.getOrderByOrderId(orderId)).detail.info.status).toBe('initial');
    await s.control(`orders/${orderId}/approve`, {});
    const { detail } = await gs.getOrderByOrderId(orderId);
    expect(detail.info.status).toBe('issued');
    expect(detail.certificateInfo).toMatchObject({ status: 'issued', commonName: 'www.mail.example.com' });
    expect(detail.sanEntries.map((e) => e.name)).toEqual(['api.mail.example.com']);
    const f = detail.fulfillment!;
    const ca = (type: string): string => f.caCertificates.find((c) => c.type === type)!.pem;
    expect(f.caCertificates.map((c) => c.type).sort()).toEqual(['INTER', 'ROOT']);
    expect(f.serverCertificate!.x509Pem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n[^\r]+-----END CERTIFICATE-----\n$/,
    );
    expect(f.serverCertificate!.pkcs7Pem).toMatch(/^-----BEGIN PKCS7-----\n/);
    expect(opensslVerify(f.serverCertificate!.x509Pem, ca('INTER'), ca('ROOT'), orderId).trim()).toBe(
      'leaf: OK',
    );
  });

  it('resends the approver e-mail and changes the approver address of a pending order', async () => {
    const orderId = await placeDvOrder('www.resend.example.com');
    expect((await gs.resendEmail({ orderId })).orderId).toBe(orderId);
    const changed = await gs.changeApproverEmail({
      orderId,
      approverEmail: 'webmaster@resend.example.com',
      fqdn: 'www.resend.example.com',
    });
    expect(changed.orderId).toBe(orderId);
    const pending = await s.control<{ approverEmail: string }>(`orders/${orderId}`);
    expect(pending.approverEmail).toBe('webmaster@resend.example.com');
    const events = (await gs.getOrderByOrderId(orderId)).detail.modificationEvents.map((e) => e.name);
    expect(events).toEqual(expect.arrayContaining(['APPROVER_EMAIL_RESENT', 'APPROVER_EMAIL_CHANGED']));
  });

  it('issues an HTTP-validated order when the token file is served at the mapped host', async () => {
    const placed = await gs.urlVerification({ order: order('web.example.com', 'DV_LOW_URL'), contact });
    expect(placed.verificationUrls).toEqual(['www.web.example.com', 'web.example.com']);
    const token = /content="([^"]+)"/.exec(placed.metaTag)![1]!;
    const site = await serveValidationFile(token);
    try {
      await s.control('hosts', { host: 'web.example.com', address: site.address });
      const issued = await gs.urlVerificationForIssue({
        orderId: placed.orderId,
        approverUrl: 'http://web.example.com',
      });
      expect(site.requests).toEqual(['/.well-known/pki-validation/gsdv.txt']);
      expect(issued.certificateInfo).toMatchObject({ status: 'issued', commonName: 'web.example.com' });
      expect(issued.fulfillment!.serverCertificate!.x509Pem).toContain('-----BEGIN CERTIFICATE-----');
    } finally {
      await site.close();
    }
  });

  it('issues a DNS-validated order once the TXT record is published', async () => {
    const placed = await gs.dvDnsOrder({ order: order('dns.example.com', 'DV_LOW_DNS'), contact });
    expect(placed.dnsTxt).toMatch(/^globalsign-domain-verification=/);
    await s.control('dns', { name: 'dns.example.com', txt: [placed.dnsTxt] });
    const issued = await gs.dvDnsVerificationForIssue({
      orderId: placed.orderId,
      approverFqdn: 'dns.example.com',
    });
    expect(issued.certificateInfo).toMatchObject({ status: 'issued', commonName: 'dns.example.com' });
    expect(issued.fulfillment!.caCertificates).toHaveLength(2);
  });

  it.each([
    ['OV', (o: OrderParameters) => gs.ovOrder({ ...ovOrderInput(), order: o })],
    ['EV', (o: OrderParameters) => gs.evOrder({ ...evOrderInput(), order: o })],
  ])(
    'places an %s order that stays pending until vetted and then carries the organisation',
    async (code, place) => {
      const fqdn = `${code.toLowerCase()}.example.com`;
      const { orderId } = await place(order(fqdn, code));
      expect((await gs.getOrderByOrderId(orderId)).detail.info.status).toBe('initial');
      await s.control(`orders/${orderId}/approve`, {});
      const { detail } = await gs.getOrderByOrderId(orderId);
      expect(detail.info).toMatchObject({ status: 'issued', productCode: code });
      expect(detail.certificateInfo!.subjectName).toBe(
        `CN = ${fqdn}, O = Example K.K., OU = null, L = Shibuya, ST = Tokyo, C = JP`,
      );
    },
  );

  it('cancels a pending order and asks for the revocation of an issued one with ModifyOrder', async () => {
    const pending = await placeDvOrder('www.cancel.example.com');
    expect((await gs.modifyOrder({ orderId: pending, operation: 'CANCEL' })).orderId).toBe(pending);
    expect((await gs.getOrderByOrderId(pending)).detail.info.status).toBe('cancelled_not_issued');
    const issued = await issueDvOrder('www.revoke.example.com');
    await gs.modifyOrder({ orderId: issued, operation: 'REVOKE' });
    expect((await gs.getOrderByOrderId(issued)).detail.info.status).toBe('waiting_revocation');
  });

  it('reissues an issued order as a new issued order that points back at it, with the new names', async () => {
    const target = await issueDvOrder('www.reissue.example.com');
    const result = await gs.reissue({
      targetOrderId: target,
      csr: makeCsr('www.reissue.example.com'),
      dnsNames: ['www.reissue.example.com', 'shop.reissue.example.com'],
    });
    expect(result.orderId).not.toBe(target);
    expect(result.targetOrderId).toBe(target);
    const { detail } = await gs.getOrderByOrderId(result.orderId);
    expect(detail.info).toMatchObject({ status: 'issued', originalOrderIdForReissue: target });
    expect(detail.certificateInfo!.dnsNames).toContain('shop.reissue.example.com');
  });

  it('changes the SANs of an issued order through a new order', async () => {
    const target = await issueDvOrder('www.san.example.com', [{ kind: 'fqdn', name: 'old.san.example.com' }]);
    const result = await gs.changeSubjectAltName({
      targetOrderId: target,
      sanEntries: [{ kind: 'fqdn', name: 'new.san.example.com' }],
    });
    expect(result.targetOrderId).toBe(target);
    const { detail } = await gs.getOrderByOrderId(result.orderId!);
    expect(detail.sanEntries.map((e) => e.name)).toEqual(['new.san.example.com']);
  });

  it('lists the orders modified in a window and finds orders by FQDN', async () => {
    s.clock.set('2026-04-03T08:00:00Z');
    try {
      const orderId = await issueDvOrder('www.search.example.com');
      const modified = await gs.getModifiedOrders({
        from: new Date('2026-04-03T07:00:00Z'),
        to: new Date('2026-04-03T09:00:00Z'),
      });
      expect(modified.orders.map((o) => o.info.orderId)).toEqual([orderId]);
      const found = await gs.getCertificateOrders({ fqdn: 'www.search.example.com' });
      expect(found.orders.map((o) => [o.orderId, o.status])).toEqual([[orderId, 'issued']]);
    } finally {
      s.clock.set('2026-04-02T10:00:00Z');
    }
  });
});

describe('GlobalSignClient against the simulator: errors', () => {
  it('reports a wrong password as a credentials failure (-4001) and does not retry it', async () => {
    await s.control('calls', undefined, 'DELETE');
    const e = await failure(s.client({ password: 'wrong' }).accountSnapshot());
    expect(e).toMatchObject({ code: 'GLOBALSIGN_LOGIN_FAILED', party: 'credentials', retryable: false });
    expect(e.issues.map((i) => i.code)).toEqual(['-4001']);
    expect(await s.calls('AccountSnapshot')).toHaveLength(1);
  });

  it('is refused from a source address not on the allow-list (-4201) and accepted from the listed one', async () => {
    await s.control('accounts', {
      user: 'PAR_ip_api',
      password: 'pw',
      balance: '1000.00',
      allowIps: ['127.0.0.2'],
    });
    const from = (sourceAddress: string): GlobalSignClient =>
      s.client({ username: 'PAR_ip_api', password: 'pw', sourceAddress });
    const e = await failure(from('127.0.0.1').accountSnapshot());
    expect(e).toMatchObject({ code: 'GLOBALSIGN_IP_NOT_ALLOWED', party: 'source-ip', retryable: false });
    expect(e.issues.map((i) => i.code)).toEqual(['-4201']);
    expect((await from('127.0.0.2').accountSnapshot()).balance).toBe('1000.00');
  });

  it('refuses an order the CA balance does not cover (-6101) and charges nothing', async () => {
    await s.control('accounts', { user: 'PAR_poor_api', password: 'pw', balance: '10.00', currency: 'EUR' });
    const poor = s.client({ username: 'PAR_poor_api', password: 'pw' });
    const e = await failure(placeDvOrder('www.poor.example.com', { client: poor }));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_BALANCE_TOO_LOW',
      party: 'ca-balance',
      outcomeUnknown: false,
    });
    expect(e.issues.map((i) => i.code)).toEqual(['-6101']);
    expect((await poor.accountSnapshot()).balance).toBe('10.00');
  });

  const hundredAndOneSans = Array.from({ length: 101 }, (_, i): SanEntryInput => ({
    kind: 'fqdn',
    name: `h${i}.data.example.com`,
  }));
  it.each([
    [
      '-4007',
      'an unreadable CSR',
      { csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' },
    ],
    ['-6021', 'a CSR for another name', { csr: makeCsr('other.example.com') }],
    ['-9936', 'an RSA 1024 key', { csr: makeCsr('www.data.example.com', 'rsa1024') }],
    ['-6017', '101 SAN entries', { sanEntries: hundredAndOneSans }],
  ])('rejects the order data with %s for %s', async (code, _what, options) => {
    const e = await failure(placeDvOrder('www.data.example.com', options));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_REQUEST_DATA_REJECTED',
      party: 'client-data',
      retryable: false,
      outcomeUnknown: false,
    });
    expect(e.issues.map((i) => i.code)).toEqual([code]);
  });

  it('refuses a DVOrder whose OrderID was already used (-4004)', async () => {
    const { orderId, approvers } = await gs.getDvApproverList({ fqdn: 'www.twice.example.com' });
    const input = {
      order: order('www.twice.example.com'),
      orderId,
      approverEmail: approvers[0]!.email,
      contact,
    };
    await gs.dvOrder(input);
    const e = await failure(gs.dvOrder(input));
    expect(e).toMatchObject({ code: 'GLOBALSIGN_ORDER_STATE', party: 'order-state' });
    expect(e.issues.map((i) => i.code)).toEqual(['-4004']);
  });

  it('refuses to cancel an order twice (-9915) and to cancel a revoked order (-9938)', async () => {
    const pending = await placeDvOrder('www.cancel2.example.com');
    await gs.modifyOrder({ orderId: pending, operation: 'CANCEL' });
    const again = await failure(gs.modifyOrder({ orderId: pending, operation: 'CANCEL' }));
    expect(again).toMatchObject({
      code: 'GLOBALSIGN_ORDER_STATE',
      party: 'order-state',
      outcomeUnknown: false,
    });
    expect(again.issues.map((i) => i.code)).toEqual(['-9915']);
    const revoked = await issueDvOrder('www.revoked.example.com');
    await gs.modifyOrder({ orderId: revoked, operation: 'REVOKE' });
    const cancel = await failure(gs.modifyOrder({ orderId: revoked, operation: 'CANCEL' }));
    expect(cancel.issues.map((i) => i.code)).toEqual(['-9938']);
  });

  it('refuses to reissue an order that was already reissued (-4016)', async () => {
    const target = await issueDvOrder('www.reissued.example.com');
    await gs.reissue({ targetOrderId: target, csr: makeCsr('www.reissued.example.com') });
    const e = await failure(gs.reissue({ targetOrderId: target, csr: makeCsr('www.reissued.example.com') }));
    expect(e).toMatchObject({ code: 'GLOBALSIGN_ORDER_STATE', party: 'order-state' });
    expect(e.issues.map((i) => i.code)).toEqual(['-4016']);
  });

  it('reports a failed domain check (-4147) when the served file holds another token or no TXT exists', async () => {
    const http = await gs.urlVerification({ order: order('bad.example.com', 'DV_LOW_URL'), contact });
    const site = await serveValidationFile('not-the-token');
    try {
      await s.control('hosts', { host: 'bad.example.com', address: site.address });
      const e = await failure(
        gs.urlVerificationForIssue({ orderId: http.orderId, approverUrl: 'http://bad.example.com' }),
      );
      expect(e).toMatchObject({ code: 'GLOBALSIGN_ORDER_STATE', party: 'order-state' });
      expect(e.issues.map((i) => i.code)).toEqual(['-4147']);
    } finally {
      await site.close();
    }
    const dns = await gs.dvDnsOrder({ order: order('nodns.example.com', 'DV_LOW_DNS'), contact });
    const e = await failure(
      gs.dvDnsVerificationForIssue({ orderId: dns.orderId, approverFqdn: 'nodns.example.com' }),
    );
    expect(e.issues.map((i) => i.code)).toEqual(['-4147']);
  });

  it('returns an order held for phishing review (SuccessCode 1, -5001) as a result with a warning', async () => {
    const { orderId, approvers } = await gs.getDvApproverList({ fqdn: 'paypal.example.com' });
    const placed = await gs.dvOrder({
      order: order('paypal.example.com'),
      orderId,
      approverEmail: approvers[0]!.email,
      contact,
    });
    expect(placed).toMatchObject({ orderId, successCode: 1 });
    expect(placed.warnings.map((w) => w.code)).toEqual(['-5001']);
    expect((await gs.getOrderByOrderId(orderId)).detail.info.status).toBe('waiting_phishing_check');
  });
});

describe('GlobalSignClient against the simulator: transport faults', () => {
  it.each(['http500', 'soapfault', 'http503', 'reset', 'truncate'])(
    'retries a query after a %s and returns the answer of the second call',
    async (kind) => {
      const { balance } = await gs.accountSnapshot();
      await s.control('calls', undefined, 'DELETE');
      await s.control('faults', { kind, count: 1 });
      expect((await gs.accountSnapshot()).balance).toBe(balance);
      const calls = await s.calls('AccountSnapshot');
      expect(calls.map((c) => [c.fault ?? null, c.successCode])).toEqual([
        [kind, kind === 'truncate' ? 0 : null],
        [null, 0],
      ]);
    },
  );

  it('retries a query whose answer outlasts the read timeout', async () => {
    await s.control('calls', undefined, 'DELETE');
    await s.control('faults', { kind: 'latency', ms: 600, count: 1 });
    const impatient = s.client({ timeouts: { readMs: 150 } });
    expect((await impatient.accountSnapshot()).currency).toBe('EUR');
    const calls = await until(
      () => s.calls('AccountSnapshot'),
      (c) => c.length === 2,
    );
    expect(calls.every((c) => c.successCode === 0)).toBe(true);
  });

  it.each([
    ['http500', 'before', 'GLOBALSIGN_HTTP_STATUS', 'transport', true],
    ['soapfault', 'before', 'GLOBALSIGN_SOAP_FAULT', 'ca-system', true],
    ['http503', 'before', 'GLOBALSIGN_HTTP_STATUS', 'transport', false],
    ['reset', 'after', 'GLOBALSIGN_UNREACHABLE', 'transport', true],
    ['truncate', 'after', 'GLOBALSIGN_UNREACHABLE', 'transport', true],
  ] as const)(
    'sends an order once after a %s (%s the CA acts on it), failing with %s from %s, outcomeUnknown %s',
    async (kind, phase, code, party, outcomeUnknown) => {
      const fqdn = `www.${kind}.fault.example.com`;
      const { orderId, approvers } = await gs.getDvApproverList({ fqdn });
      await s.control('calls', undefined, 'DELETE');
      await s.control('faults', { kind, count: 1, phase });
      const e = await failure(
        gs.dvOrder({ order: order(fqdn), orderId, approverEmail: approvers[0]!.email, contact }),
      );
      expect(e).toMatchObject({ party, outcomeUnknown });
      expect(e.info.orderId).toBe(orderId);
      expect(e.info.attempts).toBe(1);
      expect(e.code).toBe(code);
      expect(await s.calls('DVOrder')).toHaveLength(1);
      if (phase === 'after') {
        expect((await gs.getOrderByOrderId(orderId)).detail.info.status).toBe('initial');
      }
    },
  );

  it('sends an order once when its answer outlasts the read timeout, and flags the outcome unknown', async () => {
    const fqdn = 'www.slow.fault.example.com';
    const { orderId, approvers } = await gs.getDvApproverList({ fqdn });
    await s.control('calls', undefined, 'DELETE');
    await s.control('faults', { kind: 'latency', ms: 600, count: 1 });
    const impatient = s.client({ timeouts: { readMs: 150 } });
    const e = await failure(
      impatient.dvOrder({ order: order(fqdn), orderId, approverEmail: approvers[0]!.email, contact }),
    );
    expect(e).toMatchObject({ code: 'GLOBALSIGN_TIMEOUT', causeKind: 'timeout', outcomeUnknown: true });
    expect(e.info).toMatchObject({ phase: 'read', attempts: 1 });
    const calls = await until(
      () => s.calls('DVOrder'),
      (c) => c.length > 0,
    );
    expect(calls).toHaveLength(1);
    expect((await gs.getOrderByOrderId(orderId)).detail.info.status).toBe('initial');
  });
});
