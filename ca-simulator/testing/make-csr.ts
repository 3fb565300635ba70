import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { id_ecdsaWithSHA256 } from '@peculiar/asn1-ecc';
import { id_sha256WithRSAEncryption } from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { toPem } from '../pki/pem.ts';

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
  const subjectName = new Name(
    Object.entries({ ...subject, CN: cn }).map(
      ([k, v]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type: SUBJECT_OIDS[k]!,
            value: new AttributeValue(k === 'C' ? { printableString: v } : { utf8String: v }),
          }),
        ]),
    ),
  );
  const info = new CertificationRequestInfo({
    subject: subjectName,
    subjectPKInfo: AsnConvert.parse(
      keys.publicKey.export({ type: 'spki', format: 'der' }),
      SubjectPublicKeyInfo,
    ),
  });
  const rsa = keys.privateKey.asymmetricKeyType === 'rsa';
  const signatureAlgorithm = rsa
    ? new AlgorithmIdentifier({ algorithm: id_sha256WithRSAEncryption, parameters: null })
    : new AlgorithmIdentifier({ algorithm: id_ecdsaWithSHA256 });
  const signature = new Uint8Array(sign('sha256', Buffer.from(AsnConvert.serialize(info)), keys.privateKey))
    .buffer;
  const request = new CertificationRequest({ certificationRequestInfo: info, signatureAlgorithm, signature });
  return toPem(AsnConvert.serialize(request), 'CERTIFICATE REQUEST');
}
