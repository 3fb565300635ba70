import { webcrypto } from 'node:crypto';
import { generateKeyAndCsr } from '../../src/provisioning/keys/generate-key-and-csr.ts';
import { x509Lib } from '../../src/provisioning/keys/x509-provider.ts';

export type TestCsrKey = 'p256' | 'rsa2048' | 'rsa1024';

/**
 * A signed CSR for `commonName` (and SANs) with the given key; `rsa1024` makes the weak key a CA
 * must refuse, which certbill's own generator never makes.
 *
 * @example await makeTestCsr('example.com', { sans: ['www.example.com'] })
 */
export async function makeTestCsr(
  commonName: string,
  options: { sans?: readonly string[]; key?: TestCsrKey } = {},
): Promise<string> {
  const key = options.key ?? 'p256';
  if (key !== 'rsa1024') {
    const { csrPem } = await generateKeyAndCsr({
      commonName,
      sans: options.sans ?? [],
      algorithm: key === 'p256' ? 'ecdsa-p256' : 'rsa-2048',
    });
    return csrPem;
  }
  const x509 = x509Lib();
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 1024,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: alg,
  });
  return csr.toString('pem');
}
