import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import { AppError } from '../../core/errors/index.ts';
import { x509Lib } from './x509-provider.ts';

export const KEY_ALGORITHMS = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-3072', 'rsa-4096'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

export interface GenerateKeyAndCsrInput {
  /** Normalised common name, e.g. `example.com` or `*.example.com`. */
  readonly commonName: string;
  /** Further names for the SAN extension (the CN is always the first SAN). */
  readonly sans?: readonly string[];
  /** Default `ecdsa-p256`. */
  readonly algorithm?: KeyAlgorithm;
}

export interface GeneratedKeyAndCsr {
  readonly algorithm: KeyAlgorithm;
  /** PKCS#8 PEM. The caller seals it for storage, or drops it when the client ticks "Do not save the key". */
  readonly privateKeyPem: string;
  readonly csrPem: string;
}

function keyParams(algorithm: KeyAlgorithm): {
  gen: webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams;
  sign: webcrypto.EcdsaParams | webcrypto.Algorithm;
} {
  switch (algorithm) {
    case 'ecdsa-p256':
      return { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } };
    case 'ecdsa-p384':
      return { gen: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } };
    default: {
      const modulusLength = Number(algorithm.slice('rsa-'.length));
      return {
        gen: {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        },
        sign: { name: 'RSASSA-PKCS1-v1_5' },
      };
    }
  }
}

function pem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Generates a key pair and a CSR for it: subject CN = the common name, SAN extension = the CN and
 * the other names (IP addresses as iPAddress). ECDSA P-256 unless told otherwise.
 *
 * @example
 *   const { privateKeyPem, csrPem } = await generateKeyAndCsr({ commonName: 'example.com', sans: ['www.example.com'] });
 */
export async function generateKeyAndCsr(input: GenerateKeyAndCsrInput): Promise<GeneratedKeyAndCsr> {
  const algorithm = input.algorithm ?? 'ecdsa-p256';
  if (!(KEY_ALGORITHMS as readonly string[]).includes(algorithm)) {
    throw new AppError(
      'PROVISIONING_KEY_OPTIONS_INVALID',
      `Key algorithm "${algorithm}" is not offered; use one of ${KEY_ALGORITHMS.join(', ')}.`,
      { field: 'algorithm' },
    );
  }
  const cn = input.commonName.trim().toLowerCase();
  if (!cn)
    throw new AppError('PROVISIONING_KEY_OPTIONS_INVALID', 'A CSR needs a common name.', {
      field: 'commonName',
    });
  const x509 = x509Lib();
  const { gen, sign } = keyParams(algorithm);
  const keys = (await webcrypto.subtle.generateKey(gen, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names = [...new Set([cn, ...(input.sans ?? []).map((s) => s.trim().toLowerCase()).filter(Boolean)])];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [cn] }],
    keys,
    signingAlgorithm: sign,
    extensions: [
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => ({ type: isIP(n) ? ('ip' as const) : ('dns' as const), value: n })),
      ),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    algorithm,
    privateKeyPem: pem(pkcs8, 'PRIVATE KEY'),
    csrPem: csr.toString('pem').replace(/\r\n/g, '\n').trim() + '\n',
  };
}
