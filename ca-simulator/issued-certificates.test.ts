import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { webcrypto } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCsr } from './testing/make-csr.ts';
import { startHarness, type Harness } from './testing/simulator-harness.ts';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

let h: Harness;
let dir: string;
beforeAll(async () => {
  h = await startHarness({ autoApprove: true });
  dir = mkdtempSync(path.join(tmpdir(), 'certbill-sim-certs-'));
});
afterAll(async () => {
  await h.sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function issue(csr: string, sans: string[] = []) {
  const list = await h.ssl('GetDVApproverList', h.bodies.approverList('www.example.com'));
  const orderId = list.response.OrderID as string;
  await h.ssl('DVOrder', h.bodies.dvOrder({ orderId, approver: 'admin@example.com', csr, sans }));
  const got = await h.gas('GetOrderByOrderID', h.bodies.getOrder(orderId));
  return got.response.OrderDetail;
}

describe('issued certificates', () => {
  it.each([
    ['RSA 2048', 'rsa2048' as const],
    ['ECDSA P-256', 'p256' as const],
  ])('chain to the simulator root with openssl verify (%s CSR)', async (_label, key) => {
    const detail = await issue(makeCsr('www.example.com', key), ['mail.example.com', '192.0.2.7']);
    const cas = detail.Fulfillment.CACertificates.CACertificate as Array<{
      CACertType: string;
      CACert: string;
    }>;
    writeFileSync(path.join(dir, 'root.pem'), cas.find((c) => c.CACertType === 'ROOT')!.CACert);
    writeFileSync(path.join(dir, 'inter.pem'), cas.find((c) => c.CACertType === 'INTER')!.CACert);
    writeFileSync(path.join(dir, `${key}.pem`), detail.Fulfillment.ServerCertificate.X509Cert);
    const at = String(Math.floor(new Date('2026-05-01T00:00:00Z').getTime() / 1000));
    const out = execFileSync(
      'openssl',
      [
        'verify',
        '-attime',
        at,
        '-purpose',
        'sslserver',
        '-CAfile',
        path.join(dir, 'root.pem'),
        '-untrusted',
        path.join(dir, 'inter.pem'),
        path.join(dir, `${key}.pem`),
      ],
      { encoding: 'utf8' },
    );
    expect(out.trim()).toBe(`${path.join(dir, `${key}.pem`)}: OK`);
  });

  it('carries the names, usages, key identifiers and DV policy a TLS server certificate needs', async () => {
    const detail = await issue(makeCsr('www.example.com', 'rsa2048'), ['mail.example.com', '192.0.2.7']);
    const cert = new x509.X509Certificate(detail.Fulfillment.ServerCertificate.X509Cert);
    expect(cert.subject).toBe('CN=www.example.com');
    expect(cert.notBefore.toISOString()).toBe('2026-04-02T10:00:00.000Z');
    expect(cert.notAfter.toISOString()).toBe('2026-10-19T09:59:59.000Z');
    expect(cert.serialNumber.toUpperCase()).toBe(detail.CertificateInfo.SerialNumber);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension)!;
    expect(san.names.toJSON()).toEqual([
      { type: 'dns', value: 'www.example.com' },
      { type: 'dns', value: 'mail.example.com' },
      { type: 'ip', value: '192.0.2.7' },
    ]);
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    const ku = cert.getExtension(x509.KeyUsagesExtension)!.usages;
    expect(ku).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)!.usages).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.getExtension(x509.CertificatePolicyExtension)!.policies).toEqual(['2.23.140.1.2.1']);
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    const inter = new x509.X509Certificate(detail.Fulfillment.CACertificates.CACertificate[1].CACert);
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(
      inter.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
    );
    expect(ski).toMatch(/^[0-9a-f]{40}$/);
    const p7 = new x509.X509Certificates(
      detail.Fulfillment.ServerCertificate.PKCS7Cert.replace(/PKCS7/g, 'CMS'),
    );
    expect(p7.map((c) => c.subject)).toEqual([cert.subject, inter.subject, inter.issuer]);
  });

  it('follows the simulator clock and the globalsign validity mode (199 days)', async () => {
    const gs = await startHarness({ autoApprove: true, validity: 'globalsign' });
    try {
      await gs.control('clock', { now: '2027-03-20T08:00:00Z' });
      const list = await gs.ssl('GetDVApproverList', gs.bodies.approverList('www.example.com'));
      await gs.ssl(
        'DVOrder',
        gs.bodies.dvOrder({
          orderId: list.response.OrderID,
          approver: 'admin@example.com',
          csr: makeCsr('www.example.com'),
        }),
      );
      const got = await gs.gas('GetOrderByOrderID', gs.bodies.getOrder(list.response.OrderID));
      expect(got.response.OrderDetail.CertificateInfo.StartDate).toBe('2027-03-20T08:00:00.000+00:00');
      expect(got.response.OrderDetail.CertificateInfo.EndDate).toBe('2027-06-27T07:59:59.000+00:00');
    } finally {
      await gs.sim.close();
    }
  });
});
