import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { bits, ctx, derToPem, int, oid, printable, seq, set, utf8 } from '../pki/der.ts';

export type CsrKey = 'rsa2048' | 'rsa1024' | 'p256' | 'p384' | 'secp256k1';

const SUBJECT_OIDS: Record<string, string> = {
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  CN: '2.5.4.3',
};

/**
 * Builds a signed PKCS#10 request (PEM) for tests and benchmarks.
 *
 * @example makeCsr('www.example.com', 'p256') // '-----BEGIN CERTIFICATE REQUEST-----\r\n…'
 */
export function makeCsr(cn: string, key: CsrKey = 'p256', subject: Record<string, string> = {}): string {
  return csrFor(cn, keyPair(key), subject);
}

export function keyPair(key: CsrKey): { publicKey: KeyObject; privateKey: KeyObject } {
  if (key === 'rsa2048' || key === 'rsa1024') {
    return generateKeyPairSync('rsa', { modulusLength: key === 'rsa2048' ? 2048 : 1024 });
  }
  const curve = key === 'p256' ? 'P-256' : key === 'p384' ? 'P-384' : 'secp256k1';
  return generateKeyPairSync('ec', { namedCurve: curve });
}

export function csrFor(
  cn: string,
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  subject: Record<string, string> = {},
): string {
  const attrs = { ...subject, CN: cn };
  const name = seq(
    ...Object.entries(attrs).map(([k, v]) =>
      set(seq(oid(SUBJECT_OIDS[k]!), k === 'C' ? printable(v) : utf8(v))),
    ),
  );
  const spki = keys.publicKey.export({ type: 'spki', format: 'der' });
  const info = seq(int(0), name, spki, ctx(0));
  const rsa = keys.privateKey.asymmetricKeyType === 'rsa';
  const alg = rsa
    ? seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))
    : seq(oid('1.2.840.10045.4.3.2'));
  return derToPem(seq(info, alg, bits(sign('sha256', info, keys.privateKey))), 'CERTIFICATE REQUEST');
}
