import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCsr } from './testing/make-csr.ts';
import { startHarness, type Harness } from './testing/simulator-harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.sim.close();
});

async function emailOrder(fqdn = 'www.example.com'): Promise<string> {
  const list = await h.ssl('GetDVApproverList', h.bodies.approverList(fqdn));
  const orderId = list.response.OrderID as string;
  const r = await h.ssl(
    'DVOrder',
    h.bodies.dvOrder({ orderId, approver: 'admin@example.com', csr: makeCsr(fqdn) }),
  );
  expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
  return orderId;
}

describe('DV email validation', () => {
  it('lists the five generic approvers with a fresh OrderID', async () => {
    const r = await h.ssl('GetDVApproverList', h.bodies.approverList('example.com'));
    const approvers = r.response.Approvers.SearchOrderDetail as Array<{
      ApproverType: string;
      ApproverEmail: string;
    }>;
    expect(approvers.map((a) => a.ApproverEmail)).toEqual([
      'admin@example.com',
      'administrator@example.com',
      'hostmaster@example.com',
      'postmaster@example.com',
      'webmaster@example.com',
    ]);
    expect(approvers.every((a) => a.ApproverType === 'GENERIC')).toBe(true);
    expect(r.response.OrderID).toMatch(/^CE[A-Z]+\d+$/);
  });

  it('keeps the order at status 1 until the approver approves in the inbox, then issues it', async () => {
    const orderId = await emailOrder();
    let r = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId));
    expect(r.response.OrderDetail.OrderInfo.OrderStatus).toBe('1');
    expect(r.response.OrderDetail.Fulfillment.ServerCertificate['@_nil']).toBe('true');
    expect(r.response.OrderDetail.CertificateInfo['@_nil']).toBe('true');
    const inbox = await h.control('inbox');
    expect(inbox.json).toContain(orderId);
    expect(inbox.json).toContain(`/_control/orders/${orderId}/approve`);
    expect((await h.control(`orders/${orderId}/approve`, {})).status).toBe(200);
    r = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId));
    const detail = r.response.OrderDetail;
    expect(detail.OrderInfo.OrderStatus).toBe('4');
    expect(detail.CertificateInfo.CertificateStatus).toBe('4');
    expect(detail.CertificateInfo.StartDate).toBe('2026-04-02T10:00:00.000+00:00');
    expect(detail.CertificateInfo.EndDate).toBe('2026-10-19T09:59:59.000+00:00');
    expect(detail.Fulfillment.ServerCertificate.X509Cert).toContain('BEGIN CERTIFICATE');
    expect(detail.Fulfillment.ServerCertificate.PKCS7Cert).toContain('BEGIN PKCS7');
    expect(
      detail.Fulfillment.CACertificates.CACertificate.map((c: { CACertType: string }) => c.CACertType),
    ).toEqual(['ROOT', 'INTER']);
    expect(detail.OrderOption.ApproverEmailAddress).toBe('admin@example.com');
    expect(r.text).toContain('&#xD;\n');
  });

  it('cancels and refunds the order when the approver rejects it', async () => {
    const before = (await h.account('AccountSnapshot', h.bodies.query)).response.AccountSnapshot.Balance;
    const orderId = await emailOrder();
    await h.control(`orders/${orderId}/reject`, {});
    const r = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId, false));
    expect(r.response.OrderDetail.OrderInfo.OrderStatus).toBe('3');
    const after = (await h.account('AccountSnapshot', h.bodies.query)).response.AccountSnapshot.Balance;
    expect(after).toBe(before);
  });

  it('refuses a reused OrderID with -4004 and an approver outside the list with -4009', async () => {
    const orderId = await emailOrder();
    const again = await h.ssl(
      'DVOrder',
      h.bodies.dvOrder({ orderId, approver: 'admin@example.com', csr: makeCsr('www.example.com') }),
    );
    expect(again.response.OrderResponseHeader.Errors.Error).toMatchObject({
      ErrorCode: '-4004',
      ErrorField: 'OrderID',
    });
    const list = await h.ssl('GetDVApproverList', h.bodies.approverList('www.example.com'));
    const bad = await h.ssl(
      'DVOrder',
      h.bodies.dvOrder({
        orderId: list.response.OrderID,
        approver: 'ceo@example.com',
        csr: makeCsr('www.example.com'),
      }),
    );
    expect(bad.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4009');
  });

  it('answers -6021 when the CSR common name differs from the approver-list FQDN', async () => {
    const list = await h.ssl('GetDVApproverList', h.bodies.approverList('www.example.com'));
    const r = await h.ssl(
      'DVOrder',
      h.bodies.dvOrder({
        orderId: list.response.OrderID,
        approver: 'admin@example.com',
        csr: makeCsr('other.example.com'),
      }),
    );
    expect(r.response.OrderResponseHeader.Errors.Error).toMatchObject({ ErrorCode: '-6021' });
  });
});

describe('DV HTTP validation', () => {
  let site: http.Server;
  let content = '';
  beforeEach(async () => {
    site = http.createServer((req, res) => {
      if (req.url === '/.well-known/pki-validation/gsdv.txt') res.end(content);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    await new Promise<void>((r) => site.close(() => r()));
  });

  it('issues synchronously once gsdv.txt on the mapped loopback host holds the token', async () => {
    const placed = await h.ssl('URLVerification', h.bodies.urlVerification(makeCsr('example.com')));
    const orderId = placed.response.OrderID as string;
    const token = /content="([^"]+)"/.exec(placed.response.MetaTag as string)![1]!;
    expect(placed.text).toContain('&lt;meta name=&quot;_globalsign-domain-verification&quot;');
    expect(placed.response.VerificationURLList.VerificationURL).toEqual(['www.example.com', 'example.com']);
    const port = (site.address() as AddressInfo).port;
    await h.control('hosts', { host: 'example.com', address: `127.0.0.1:${port}` });
    content = 'wrong token';
    let r = await h.ssl(
      'URLVerificationForIssue',
      h.bodies.urlVerificationForIssue(orderId, 'http://example.com'),
    );
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4147');
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorField).toBeUndefined();
    content = token;
    r = await h.ssl(
      'URLVerificationForIssue',
      h.bodies.urlVerificationForIssue(orderId, 'http://example.com'),
    );
    expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    expect(r.response.URLVerificationForIssue.CertificateInfo.CommonName).toBe('example.com');
    expect(r.response.URLVerificationForIssue.Fulfillment.ServerCertificate.X509Cert).toContain(
      'BEGIN CERTIFICATE',
    );
  });

  it('never contacts a host that is unmapped or mapped to a non-loopback address (-4147)', async () => {
    const placed = await h.ssl('URLVerification', h.bodies.urlVerification(makeCsr('example.com')));
    const orderId = placed.response.OrderID as string;
    let r = await h.ssl(
      'URLVerificationForIssue',
      h.bodies.urlVerificationForIssue(orderId, 'http://example.com'),
    );
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4147');
    await h.control('hosts', { host: 'example.com', address: '192.0.2.10:80' });
    r = await h.ssl(
      'URLVerificationForIssue',
      h.bodies.urlVerificationForIssue(orderId, 'http://example.com'),
    );
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4147');
  });
});

describe('DV DNS validation', () => {
  it('issues when the TXT record is published at a listed name, -4147 before', async () => {
    const placed = await h.ssl('DVDNSOrder', h.bodies.dnsOrder(makeCsr('www.example.org')));
    const orderId = placed.response.OrderID as string;
    const txt = placed.response.DNSTXT as string;
    expect(txt).toMatch(/^globalsign-domain-verification=/);
    expect(placed.response.VerificationFQDNList.VerificationFQDN).toEqual(['www.example.org', 'example.org']);
    let r = await h.ssl(
      'DVDNSVerificationForIssue',
      h.bodies.dnsVerificationForIssue(orderId, 'example.org'),
    );
    expect(r.response.OrderResponseHeader.Errors.Error.ErrorCode).toBe('-4147');
    await h.control('dns', { name: 'example.org', txt: ['v=spf1 -all', txt] });
    r = await h.ssl('DVDNSVerificationForIssue', h.bodies.dnsVerificationForIssue(orderId, 'example.org'));
    expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    expect(r.response.URLVerificationForIssue.CertificateInfo.CertificateStatus).toBe('4');
    const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId));
    expect(got.response.OrderDetail.OrderSubInfo.DNSOrderFlag).toBe('true');
  });
});

describe('auto-approve', () => {
  it('issues email orders at once and passes HTTP/DNS checks without any published token', async () => {
    const auto = await startHarness({ autoApprove: true });
    try {
      const list = await auto.ssl('GetDVApproverList', auto.bodies.approverList('www.example.com'));
      const orderId = list.response.OrderID as string;
      await auto.ssl(
        'DVOrder',
        auto.bodies.dvOrder({ orderId, approver: 'admin@example.com', csr: makeCsr('www.example.com') }),
      );
      const got = await auto.gas('GetOrderByOrderID', auto.bodies.getOrder(orderId));
      expect(got.response.OrderDetail.OrderInfo.OrderStatus).toBe('4');
      const placed = await auto.ssl('DVDNSOrder', auto.bodies.dnsOrder(makeCsr('example.net')));
      const r = await auto.ssl(
        'DVDNSVerificationForIssue',
        auto.bodies.dnsVerificationForIssue(placed.response.OrderID, 'example.net'),
      );
      expect(r.response.OrderResponseHeader.SuccessCode).toBe('0');
    } finally {
      await auto.sim.close();
    }
  });
});
