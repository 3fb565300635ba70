import { describe, expect, it } from 'vitest';
import { TestClock } from '../../core/clock.ts';
import { GlobalSignClient, type SoapPoster } from './globalsign-client.ts';
import { GlobalSignError } from './globalsign-error.ts';
import {
  CSR,
  dvOrderInput,
  dvValidationInput,
  evOrderInput,
  fixture,
  ovOrderInput,
} from './test-builders.ts';

function clientAnswering(name: string, status = 200): GlobalSignClient {
  const body = fixture(name);
  const transport: SoapPoster = { post: async () => ({ status, body }) };
  return new GlobalSignClient({
    baseUrl: 'http://127.0.0.1:1/kb/ws/v1/',
    username: 'u',
    password: 'p',
    transport,
    retry: { attempts: 1 },
    clock: new TestClock('2026-04-02T12:00:00Z'),
  });
}

async function failure(p: Promise<unknown>): Promise<GlobalSignError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GlobalSignError) return e;
    throw e;
  }
  throw new Error('expected a GlobalSignError');
}

describe('reading GetOrderByOrderID as GlobalSign sends it', () => {
  it('reads an issued order with fulfillment: LF PEM, offset-aware dates, raw product code, lower-cased kind', async () => {
    const r = await clientAnswering('get-order-issued.xml').getOrderByOrderId('CEAP1609307388');
    expect(r.successCode).toBe(0);
    expect(r.warnings).toEqual([]);
    expect(r.timestamp?.toISOString()).toBe('2016-10-19T03:51:15.596Z');
    expect(r.orderId).toBe('CEAP1609307388');
    const { info, subInfo, certificateInfo, fulfillment, sanEntries, modificationEvents, option } = r.detail;
    expect(info).toMatchObject({
      orderId: 'CEAP1609307388',
      productCode: 'DV_LOW_MONTH_OP',
      orderKind: 'new',
      licenses: '1',
      status: 'issued',
      statusCode: '4',
      price: '0',
      currency: 'JPY',
      domainName: 'www.example.com',
      expressOption: 'false',
    });
    expect(info.originalOrderIdForRenewal).toBeUndefined();
    expect(info.orderDate?.toISOString()).toBe('2016-10-06T05:50:05.000Z');
    expect(info.validityPeriod?.months).toBe('1');
    expect(info.validityPeriod?.notAfter?.toISOString()).toBe('2016-11-06T05:53:23.000Z');
    expect(subInfo).toMatchObject({
      csrSkipOrder: false,
      dnsOrder: false,
      trustedOrder: false,
      subId: 'S01',
    });
    expect(option?.organizationName).toBe('example');
    expect(option?.contact?.email).toBe('taro@example.com');
    expect(certificateInfo).toMatchObject({
      status: 'issued',
      statusCode: '4',
      commonName: 'www.example.com',
    });
    expect(certificateInfo?.endDate?.toISOString()).toBe('2016-11-06T05:53:23.000Z');
    expect(fulfillment?.caCertificates.map((c) => c.type)).toEqual(['ROOT', 'INTER']);
    for (const pem of [
      fulfillment!.serverCertificate!.x509Pem,
      fulfillment!.serverCertificate!.pkcs7Pem,
      ...fulfillment!.caCertificates.map((c) => c.pem),
    ]) {
      expect(pem).not.toContain('\r');
      expect(pem).toMatch(/^-----BEGIN [A-Z0-9]+-----\n[A-Za-z0-9+/=\n]+\n-----END [A-Z0-9]+-----\n$/);
    }
    expect(fulfillment?.pkcs12).toBeUndefined();
    expect(sanEntries).toEqual([
      { kind: 'uc', optionType: '1', name: 'example.com' },
      { kind: 'unknown', optionType: '99', name: 'odd.example.com' },
    ]);
    expect(modificationEvents.map((e) => e.name)).toEqual([
      'ORDER_REQUEST',
      'READY_VARIFICATION_URL',
      'ORDER_VALIDATE_REGISTER',
    ]);
  });

  it('reads a pending order whose sections are xsi:nil and whose SubId is missing (2016 recording)', async () => {
    const { detail } = await clientAnswering('get-order-pending.xml').getOrderByOrderId('CEAP1609307388');
    expect(detail.info.status).toBe('initial');
    expect(detail.info.orderCompleteDate).toBeUndefined();
    expect(detail.info.validityPeriod).toEqual({ months: '1' });
    expect(detail.subInfo?.subId).toBeUndefined();
    expect(detail.option).toBeUndefined();
    expect(detail.fulfillment).toBeUndefined();
    expect(detail.sanEntries).toEqual([]);
    expect(detail.certificateInfo).toEqual({
      status: 'initial',
      statusCode: '1',
      commonName: 'www.example.com',
    });
  });

  it('turns the recorded −1 answer for an unknown id into a retryable CA-system error', async () => {
    const e = await failure(clientAnswering('get-order-internal-error.xml').getOrderByOrderId('xxxx'));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_CA_FAILURE',
      party: 'ca-system',
      retryable: true,
      outcomeUnknown: false,
      issues: [{ code: '-1', message: 'Internal system error. Please retry later.' }],
    });
    expect(e.info.successCode).toBe(-1);
    expect(e.info.orderId).toBe('xxxx');
  });

  it('reads GetModifiedOrders with several OrderDetails', async () => {
    const r = await clientAnswering('modified-orders-success.xml').getModifiedOrders({
      from: new Date('2016-10-01T00:00:00Z'),
      to: new Date('2016-10-31T00:00:00Z'),
    });
    expect(r.from).toBe('2016-10-01T00:00:00.000Z');
    expect(r.orders.map((o) => o.info.status)).toEqual(['issued', 'initial']);
  });

  it('reads GetCertificateOrders, keeping unknown statuses (9) with their raw code', async () => {
    const r = await clientAnswering('certificate-orders-success.xml').getCertificateOrders({
      fqdn: 'www.example.com',
    });
    expect(r.orders).toHaveLength(2);
    expect(r.orders[0]).toMatchObject({
      orderId: 'CEAP1710080001',
      orderKind: 'new',
      status: 'issued',
      months: '12',
    });
    expect(r.orders[0]!.orderRequestDate?.toISOString()).toBe('2017-10-08T09:54:12.000Z');
    expect(r.orders[1]).toMatchObject({ orderKind: 'renewal', status: 'unknown', statusCode: '9' });
    expect(r.orders[1]!.orderIssueDate).toBeUndefined();
  });
});

describe('reading order answers', () => {
  it('DVOrder returns the OrderID', async () => {
    expect(await clientAnswering('dv-order-success.xml').dvOrder(dvOrderInput())).toMatchObject({
      orderId: 'CEAP1708100123',
      successCode: 0,
      warnings: [],
    });
  });

  it('SuccessCode 1 (phishing review −5001) is a result with warnings, not an error', async () => {
    const r = await clientAnswering('dv-order-warning.xml').dvOrder(dvOrderInput());
    expect(r.successCode).toBe(1);
    expect(r.orderId).toBe('CEAP1708100124');
    expect(r.warnings).toEqual([
      { code: '-5001', message: 'Your order has been accepted but will be checked manually for phishing.' },
    ]);
  });

  it('a reused OrderID (−4004) is an order-state conflict with the raw field and message kept', async () => {
    const e = await failure(clientAnswering('dv-order-reused-id.xml').dvOrder(dvOrderInput()));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_ORDER_STATE',
      kind: 'conflict',
      party: 'order-state',
      retryable: false,
      outcomeUnknown: false,
    });
    expect(e.issues[0]).toMatchObject({ code: '-4004', field: 'OrderID' });
    expect(e.message).toContain('-4004 on OrderID');
    expect(e.toJSON().details).toMatchObject({
      operation: 'DVOrder',
      party: 'order-state',
      orderId: 'CEAP1708100123',
    });
  });

  it('a bad CSR (−4007, −6021) is the client’s data', async () => {
    const e = await failure(clientAnswering('dv-order-bad-csr.xml').dvOrder(dvOrderInput()));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_REQUEST_DATA_REJECTED',
      kind: 'validation',
      party: 'client-data',
    });
    expect(e.issues.map((i) => i.code)).toEqual(['-4007', '-6021']);
  });

  it('a short CA balance (−6101) says so', async () => {
    const e = await failure(clientAnswering('dv-order-balance.xml').dvOrder(dvOrderInput()));
    expect(e).toMatchObject({ code: 'GLOBALSIGN_BALANCE_TOO_LOW', party: 'ca-balance', retryable: false });
  });

  it('URLVerification returns the meta tag unescaped and the hosts', async () => {
    const r = await clientAnswering('url-verification-success.xml').urlVerification(
      dvValidationInput('DV_LOW_URL'),
    );
    expect(r.orderId).toBe('CEAP1609307388');
    expect(r.metaTag).toBe(
      '<meta name="_globalsign-domain-verification" content="1kBpVTC0Z1plc-hvlcIkkXkAbLHBYAqnKoLGZCl8gn" />',
    );
    expect(r.verificationUrls).toEqual(['www.example.com', 'example.com']);
  });

  it('URLVerificationForIssue failure (−4147, no ErrorField) is an order-state error', async () => {
    const e = await failure(
      clientAnswering('url-verification-for-issue-failed.xml').urlVerificationForIssue({
        orderId: 'CEAP1',
        approverUrl: 'http://www.example.com',
      }),
    );
    expect(e).toMatchObject({ code: 'GLOBALSIGN_ORDER_STATE', party: 'order-state' });
    expect(e.issues).toEqual([{ code: '-4147', message: expect.stringContaining('unable to verify') }]);
  });

  it('URLVerificationForIssue and DVDNSVerificationForIssue return the certificate', async () => {
    const http = await clientAnswering('url-verification-for-issue-success.xml').urlVerificationForIssue({
      orderId: 'CEAP1',
      approverUrl: 'http://www.example.com',
    });
    const dns = await clientAnswering('dvdns-verification-for-issue-success.xml').dvDnsVerificationForIssue({
      orderId: 'CEAP1',
      approverFqdn: 'example.com',
    });
    for (const r of [http, dns]) {
      expect(r.certificateInfo?.status).toBe('issued');
      expect(r.fulfillment?.serverCertificate?.x509Pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(r.fulfillment?.caCertificates).toHaveLength(2);
    }
  });

  it('DVDNSOrder returns the TXT value and the host names', async () => {
    const r = await clientAnswering('dvdns-order-success.xml').dvDnsOrder(dvValidationInput('DV_LOW_DNS'));
    expect(r).toMatchObject({
      orderId: 'CEAP220127609254',
      dnsTxt: 'globalsign-domain-verification=Ee0Z1pR4y3gmq1vBEPv-0sB6rn0CB2wzk0hOnsnqIq',
      verificationFqdns: ['example.com', 'www.example.com'],
    });
  });

  it('reads OrderId (EVOrder, ResendEmail) as well as OrderID', async () => {
    expect((await clientAnswering('ev-order-success.xml').evOrder(evOrderInput())).orderId).toBe(
      'CEAP1708100300',
    );
    expect((await clientAnswering('ov-order-success.xml').ovOrder(ovOrderInput())).orderId).toBe(
      'CEAP1708100200',
    );
    expect(
      (await clientAnswering('resend-email-success.xml').resendEmail({ orderId: 'CEAP1708100123' })).orderId,
    ).toBe('CEAP1708100123');
  });

  it('reads ChangeApproverEmail, ModifyOrder, ReIssue and ChangeSubjectAltName', async () => {
    expect(
      await clientAnswering('change-approver-email-success.xml').changeApproverEmail({
        orderId: 'CEAP1708100123',
        approverEmail: 'admin@example.com',
        fqdn: 'www.example.com',
      }),
    ).toMatchObject({ orderId: 'CEAP1708100123' });
    expect(
      await clientAnswering('modify-order-success.xml').modifyOrder({
        orderId: 'CEAP1708100123',
        operation: 'CANCEL',
      }),
    ).toMatchObject({ orderId: 'CEAP1708100123' });
    expect(
      await clientAnswering('reissue-success.xml').reissue({ targetOrderId: 'CEAP1708100123', csr: CSR }),
    ).toMatchObject({
      orderId: 'CEAP1708100999',
      targetOrderId: 'CEAP1708100123',
    });
    expect(
      await clientAnswering('change-san-success.xml').changeSubjectAltName({
        targetOrderId: 'CEAP1708100123',
      }),
    ).toMatchObject({ orderId: 'CEAP1708101000', targetOrderId: 'CEAP1708100123' });
  });

  it('cancelling an already cancelled order (−9915) is an order-state error', async () => {
    const e = await failure(
      clientAnswering('modify-order-cancelled.xml').modifyOrder({ orderId: 'CEAP1', operation: 'CANCEL' }),
    );
    expect(e).toMatchObject({ code: 'GLOBALSIGN_ORDER_STATE', party: 'order-state' });
  });
});

describe('reading query answers', () => {
  it('GetDVApproverList returns approvers and the OrderID for DVOrder', async () => {
    const r = await clientAnswering('approver-list-success.xml').getDvApproverList({
      fqdn: 'www.example.com',
    });
    expect(r.orderId).toBe('CEAP1708100123');
    expect(r.approvers).toHaveLength(5);
    expect(r.approvers[0]).toEqual({ type: 'GENERIC', email: 'admin@example.com' });
  });

  it('GetDVApproverList failure with an empty <Approvers/> is the client’s data (−102 on FQDN)', async () => {
    const e = await failure(
      clientAnswering('approver-list-missing-fqdn.xml').getDvApproverList({ fqdn: 'x' }),
    );
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_REQUEST_DATA_REJECTED',
      party: 'client-data',
      retryable: false,
    });
    expect(e.issues[0]).toMatchObject({ code: '-102', field: 'FQDN' });
  });

  it('bad credentials (−4001) and an unlisted source IP (−4201) name the admin’s problem', async () => {
    const login = await failure(
      clientAnswering('login-failed.xml').getDvApproverList({ fqdn: 'www.example.com' }),
    );
    expect(login).toMatchObject({ code: 'GLOBALSIGN_LOGIN_FAILED', kind: 'config', party: 'credentials' });
    const ip = await failure(clientAnswering('ip-not-allowed.xml').accountSnapshot());
    expect(ip).toMatchObject({ code: 'GLOBALSIGN_IP_NOT_ALLOWED', kind: 'config', party: 'source-ip' });
    expect(ip.message).toContain('allow-list');
  });

  it('DecodeCSR returns the CSR fields, numbers as text', async () => {
    const r = await clientAnswering('decode-csr-success.xml').decodeCsr({ csr: CSR, productType: 'DV_LOW' });
    expect(r.csrData).toEqual({ commonName: 'www.example.com', country: 'JP', keyLength: '2048' });
    expect(r.certificatePreview.organizationUnit).toBe('Domain Control Validated');
  });

  it('ValidateOrderParameters keeps the price exactly as sent', async () => {
    const r = await clientAnswering('validate-order-parameters-success.xml').validateOrderParameters({
      order: dvOrderInput().order,
    });
    expect(r.price).toBe('0010.00');
    expect(r.currency).toBe('USD');
    expect(r.validityPeriod).toEqual({ months: '12' });
    expect(r.parsedCsr?.isValidDomainName).toBe('true');
  });

  it('AccountSnapshot reads the simulator’s Balance and Currency, with the read time from the clock', async () => {
    const r = await clientAnswering('account-snapshot.xml').accountSnapshot();
    expect(r).toMatchObject({
      balance: '1000.00',
      currency: 'USD',
      balanceElement: 'AccountSnapshot/Balance',
    });
    expect(r.readAt.toISOString()).toBe('2026-04-02T12:00:00.000Z');
  });

  it('AccountSnapshot falls back to a balance-like decimal and a currency code in an unknown shape', async () => {
    const r = await clientAnswering('account-snapshot-unknown-shape.xml').accountSnapshot();
    expect(r).toMatchObject({
      balance: '2500.50',
      currency: 'EUR',
      balanceElement: 'Account/Deposit/Amount',
    });
  });
});
