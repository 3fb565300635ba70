import { describe, expect, it } from 'vitest';
import { makeTestCsr } from '../../../test/contract/make-test-csr.ts';
import { checkCsr } from './check-csr.ts';
import { generateKeyAndCsr } from './generate-key-and-csr.ts';
import { x509Lib } from './x509-provider.ts';

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe('key and CSR generation', () => {
  it('makes an ECDSA P-256 key and a CSR with the CN and every name as SANs by default', async () => {
    const g = await generateKeyAndCsr({
      commonName: 'example.com',
      sans: ['www.example.com', '203.0.113.9'],
    });
    expect(g.algorithm).toBe('ecdsa-p256');
    expect(g.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const checked = await checkCsr({ csrPem: g.csrPem, commonName: 'example.com' });
    expect(checked.key).toEqual({ algorithm: 'ecdsa', curve: 'P-256' });
    expect(checked.requestedNames).toEqual(['example.com', 'www.example.com', '203.0.113.9']);
  });

  it('makes an RSA 2048 key when asked, and refuses an algorithm it does not offer', async () => {
    const g = await generateKeyAndCsr({ commonName: '*.example.com', algorithm: 'rsa-2048' });
    expect((await checkCsr({ csrPem: g.csrPem, commonName: '*.example.com' })).key).toEqual({
      algorithm: 'rsa',
      bits: 2048,
    });
    const e = await failure(generateKeyAndCsr({ commonName: 'example.com', algorithm: 'dsa-1024' as never }));
    expect(e.code).toBe('PROVISIONING_KEY_OPTIONS_INVALID');
  });
});

describe('checking a pasted CSR', () => {
  it('accepts a CSR whose CN is the order name up to case, trailing dot and IDN form', async () => {
    const csr = await makeTestCsr('xn--bcher-kva.example.com');
    expect((await checkCsr({ csrPem: csr, commonName: 'Bücher.Example.COM.' })).commonName).toBe(
      'xn--bcher-kva.example.com',
    );
  });

  it('refuses text that is not a PEM CSR, or a PEM block that does not decode', async () => {
    expect((await failure(checkCsr({ csrPem: 'hello', commonName: 'example.com' }))).code).toBe(
      'PROVISIONING_CSR_UNREADABLE',
    );
    const broken = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBbroken\n-----END CERTIFICATE REQUEST-----';
    expect((await failure(checkCsr({ csrPem: broken, commonName: 'example.com' }))).code).toBe(
      'PROVISIONING_CSR_UNREADABLE',
    );
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const x509 = x509Lib();
    const csr = new x509.Pkcs10CertificateRequest(await makeTestCsr('example.com'));
    const der = new Uint8Array(csr.rawData);
    der[der.length - 5] = der[der.length - 5]! ^ 0xff;
    const tampered = new x509.Pkcs10CertificateRequest(der).toString('pem');
    expect((await failure(checkCsr({ csrPem: tampered, commonName: 'example.com' }))).code).toBe(
      'PROVISIONING_CSR_BAD_SIGNATURE',
    );
  });

  it('refuses a CSR for another name, saying both names', async () => {
    const e = await failure(
      checkCsr({ csrPem: await makeTestCsr('other.example.net'), commonName: 'example.com' }),
    );
    expect(e.code).toBe('PROVISIONING_CSR_CN_MISMATCH');
    expect(e.message).toContain('other.example.net');
    expect(e.message).toContain('example.com');
  });

  it('refuses an RSA key under 2048 bits', async () => {
    const e = await failure(
      checkCsr({ csrPem: await makeTestCsr('example.com', { key: 'rsa1024' }), commonName: 'example.com' }),
    );
    expect(e.code).toBe('PROVISIONING_CSR_WEAK_KEY');
    expect(e.message).toContain('1024');
  });
});
