import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { CertificationRequest } from '@peculiar/asn1-csr';
import {
  ECParameters,
  id_ecdsaWithSHA256,
  id_ecdsaWithSHA384,
  id_ecdsaWithSHA512,
  id_ecPublicKey,
  id_secp256r1,
  id_secp384r1,
} from '@peculiar/asn1-ecc';
import {
  id_rsaEncryption,
  id_sha1WithRSAEncryption,
  id_sha256WithRSAEncryption,
  id_sha384WithRSAEncryption,
  id_sha512WithRSAEncryption,
  RSAPublicKey,
} from '@peculiar/asn1-rsa';
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { fromPem } from './pem.ts';

/** The subject attributes GlobalSign reports from a CSR (DecodeCSR/CSRData). */
export interface CsrSubject {
  CN?: string;
  O?: string;
  OU?: string;
  L?: string;
  ST?: string;
  C?: string;
  E?: string;
}

export interface ParsedCsr {
  subject: CsrSubject;
  /** The subject Name as requested, copied into OV/EV certificates. */
  subjectName: Name;
  publicKeyInfo: SubjectPublicKeyInfo;
  publicKey: KeyObject;
  keyType: 'rsa' | 'ec';
  /** RSA modulus length or EC field size: what GlobalSign calls KeyLength. */
  keyLength: number;
  pem: string;
}

/** A CSR GlobalSign would refuse, with its error code: -4007 invalid, -9936 weak key, -9961 curve, -9962 compressed key. */
export class CsrRejected extends Error {
  constructor(
    readonly code: '-4007' | '-9936' | '-9961' | '-9962',
    message: string,
  ) {
    super(message);
  }
}

const ATTRIBUTES: Record<string, keyof CsrSubject> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.6': 'C',
  '1.2.840.113549.1.9.1': 'E',
};

// The signature algorithms GlobalSign accepts on a request; anything else (RSA-PSS, ECDSA with SHA-1) is -4007.
const SIGNATURE_HASHES: Record<string, string> = {
  [id_sha1WithRSAEncryption]: 'sha1',
  [id_sha256WithRSAEncryption]: 'sha256',
  [id_sha384WithRSAEncryption]: 'sha384',
  [id_sha512WithRSAEncryption]: 'sha512',
  [id_ecdsaWithSHA256]: 'sha256',
  [id_ecdsaWithSHA384]: 'sha384',
  [id_ecdsaWithSHA512]: 'sha512',
};

const CURVES: Record<string, { crv: string; bits: number }> = {
  [id_secp256r1]: { crv: 'P-256', bits: 256 },
  [id_secp384r1]: { crv: 'P-384', bits: 384 },
};

const CSR_LABELS = ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'];

/**
 * Parses a PEM PKCS#10 request, verifies its signature and applies GlobalSign's key rules.
 * Throws CsrRejected.
 *
 * @example parseCsr(pem).subject.CN // 'www.example.com'
 */
export function parseCsr(pem: string): ParsedCsr {
  const known = recent.get(pem);
  if (known) return known;
  let csr: CertificationRequest;
  try {
    csr = AsnConvert.parse(fromPem(pem, CSR_LABELS), CertificationRequest);
  } catch {
    throw new CsrRejected('-4007', 'The CSR could not be decoded.');
  }
  const info = csr.certificationRequestInfo;
  const { publicKey, keyType, keyLength } = readPublicKey(info.subjectPKInfo);
  const hash = SIGNATURE_HASHES[csr.signatureAlgorithm.algorithm];
  const signed = csr.certificationRequestInfoRaw;
  let valid = false;
  try {
    valid =
      hash !== undefined &&
      signed !== undefined &&
      verify(hash, Buffer.from(signed), publicKey, Buffer.from(csr.signature));
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrRejected('-4007', 'The CSR signature does not verify.');
  const parsed: ParsedCsr = {
    subject: readSubject(info.subject),
    subjectName: info.subject,
    publicKeyInfo: info.subjectPKInfo,
    publicKey,
    keyType,
    keyLength,
    pem,
  };
  remember(pem, parsed);
  return parsed;
}

// Orders parse their CSR when placed and again when issued; the second parse is served from here.
const recent = new Map<string, ParsedCsr>();

function remember(pem: string, parsed: ParsedCsr): void {
  recent.set(pem, parsed);
  if (recent.size > 256) recent.delete(recent.keys().next().value!);
}

/**
 * Imports the key as a JWK built from its decoded parts: much faster than handing the SPKI to
 * OpenSSL, which dominated the cost of an issuance.
 */
function readPublicKey(spki: SubjectPublicKeyInfo): {
  publicKey: KeyObject;
  keyType: 'rsa' | 'ec';
  keyLength: number;
} {
  const { algorithm, parameters } = spki.algorithm;
  const point = Buffer.from(spki.subjectPublicKey);
  try {
    if (algorithm === id_rsaEncryption) {
      const rsa = AsnConvert.parse(point, RSAPublicKey);
      const jwk = {
        kty: 'RSA',
        n: unsigned(rsa.modulus).toString('base64url'),
        e: unsigned(rsa.publicExponent).toString('base64url'),
      };
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const keyLength = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
      if (keyLength < 2048)
        throw new CsrRejected('-9936', `RSA keys must be at least 2048 bits; this one has ${keyLength}.`);
      return { publicKey, keyType: 'rsa', keyLength };
    }
    if (algorithm === id_ecPublicKey) {
      const curve = namedCurve(parameters);
      if (!curve) throw new CsrRejected('-9961', 'Only the P-256 and P-384 curves are allowed.');
      // SEC 1 point encoding: 0x04 ‖ x ‖ y; 0x02/0x03 mark a compressed point.
      if (point[0] !== 4) throw new CsrRejected('-9962', 'Compressed EC public keys are not allowed.');
      const size = curve.bits / 8;
      if (point.length !== 1 + 2 * size) throw new Error('bad point');
      const jwk = {
        kty: 'EC',
        crv: curve.crv,
        x: point.subarray(1, 1 + size).toString('base64url'),
        y: point.subarray(1 + size).toString('base64url'),
      };
      return {
        publicKey: createPublicKey({ key: jwk, format: 'jwk' }),
        keyType: 'ec',
        keyLength: curve.bits,
      };
    }
  } catch (e) {
    if (e instanceof CsrRejected) throw e;
    throw new CsrRejected('-4007', 'The public key in the CSR could not be read.');
  }
  throw new CsrRejected('-9936', 'Only RSA and ECDSA (P-256, P-384) keys are allowed.');
}

function namedCurve(parameters: ArrayBuffer | null | undefined): { crv: string; bits: number } | undefined {
  if (!parameters) return undefined;
  try {
    const oid = AsnConvert.parse(parameters, ECParameters).namedCurve;
    return oid === undefined ? undefined : CURVES[oid];
  } catch {
    return undefined;
  }
}

/** An INTEGER's content without its sign octet, as JWK wants it. */
function unsigned(value: ArrayBuffer): Buffer {
  const bytes = Buffer.from(value);
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return bytes.subarray(start);
}

function readSubject(name: Name): CsrSubject {
  const out: CsrSubject = {};
  for (const rdn of name) {
    for (const atv of rdn) {
      const key = ATTRIBUTES[atv.type];
      if (key && out[key] === undefined) out[key] = atv.value.toString();
    }
  }
  return out;
}
