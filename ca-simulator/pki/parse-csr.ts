import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { children, content, pemToDer, readOid, readTlv, whole, type Tlv } from './der.ts';

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
  /** DER of the subject Name, copied verbatim into OV/EV certificates. */
  subjectDer: Buffer;
  spkiDer: Buffer;
  /** Content of subjectPublicKey (the key bits), hashed for the subject key identifier. */
  publicKeyBits: Buffer;
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

const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

/**
 * Parses a PEM PKCS#10 request, verifies its signature and applies GlobalSign's key rules.
 * Throws CsrRejected.
 *
 * @example parseCsr(pem).subject.CN // 'www.example.com'
 */
export function parseCsr(pem: string): ParsedCsr {
  const known = recent.get(pem);
  if (known) return known;
  let der: Buffer;
  let info: Tlv, algTlv: Tlv, sigTlv: Tlv, nameTlv: Tlv, spkiTlv: Tlv;
  try {
    der = pemToDer(pem, 'CERTIFICATE REQUEST');
    const top = readTlv(der, 0);
    [info, algTlv, sigTlv] = children(der, top) as [Tlv, Tlv, Tlv];
    const infoParts = children(der, info);
    nameTlv = infoParts[1]!;
    spkiTlv = infoParts[2]!;
    if (top.tag !== 0x30 || info.tag !== 0x30 || nameTlv.tag !== 0x30 || spkiTlv.tag !== 0x30)
      throw new Error();
  } catch {
    throw new CsrRejected('-4007', 'The CSR could not be decoded.');
  }
  const spkiDer = whole(der, spkiTlv);
  const { publicKey, keyType, keyLength } = readPublicKey(der, spkiTlv);
  let hash: string | undefined;
  try {
    hash = SIGNATURE_HASHES[readOid(der, children(der, algTlv)[0]!)];
  } catch {
    hash = undefined;
  }
  const signature = content(der, sigTlv).subarray(1);
  let valid = false;
  try {
    valid = hash !== undefined && verify(hash, whole(der, info), publicKey, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrRejected('-4007', 'The CSR signature does not verify.');
  let subject: CsrSubject;
  try {
    subject = readName(der, nameTlv);
  } catch {
    throw new CsrRejected('-4007', 'The CSR subject could not be decoded.');
  }
  const parsed: ParsedCsr = {
    subject,
    subjectDer: whole(der, nameTlv),
    spkiDer,
    publicKeyBits: content(der, children(der, spkiTlv)[1]!).subarray(1),
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

const CURVE_OIDS: Record<string, { crv: string; bits: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', bits: 256 },
  '1.3.132.0.34': { crv: 'P-384', bits: 384 },
};

/**
 * Builds the public key from its parts as a JWK: much faster than decoding the SPKI through
 * OpenSSL, which dominated the cost of an issuance.
 */
function readPublicKey(
  der: Buffer,
  spki: Tlv,
): { publicKey: KeyObject; keyType: 'rsa' | 'ec'; keyLength: number } {
  const [alg, bitString] = children(der, spki) as [Tlv, Tlv];
  const [algOid, params] = children(der, alg) as [Tlv, Tlv | undefined];
  const keyAlg = readOid(der, algOid);
  const keyBits = content(der, bitString).subarray(1);
  try {
    if (keyAlg === RSA_ENCRYPTION) {
      const rsaKey = readTlv(keyBits, 0);
      const [n, e] = children(keyBits, rsaKey) as [Tlv, Tlv];
      let modulus = content(keyBits, n);
      while (modulus.length > 1 && modulus[0] === 0) modulus = modulus.subarray(1);
      const keyLength = modulus.length * 8 - Math.clz32(modulus[0]!) + 24;
      if (keyLength < 2048)
        throw new CsrRejected('-9936', `RSA keys must be at least 2048 bits; this one has ${keyLength}.`);
      const jwk = {
        kty: 'RSA',
        n: modulus.toString('base64url'),
        e: content(keyBits, e).toString('base64url'),
      };
      return { publicKey: createPublicKey({ key: jwk, format: 'jwk' }), keyType: 'rsa', keyLength };
    }
    if (keyAlg === EC_PUBLIC_KEY) {
      const curve = params && params.tag === 0x06 ? CURVE_OIDS[readOid(der, params)] : undefined;
      if (!curve) throw new CsrRejected('-9961', 'Only the P-256 and P-384 curves are allowed.');
      const size = curve.bits / 8;
      if (keyBits[0] !== 4) throw new CsrRejected('-9962', 'Compressed EC public keys are not allowed.');
      if (keyBits.length !== 1 + 2 * size) throw new Error('bad point');
      const jwk = {
        kty: 'EC',
        crv: curve.crv,
        x: keyBits.subarray(1, 1 + size).toString('base64url'),
        y: keyBits.subarray(1 + size).toString('base64url'),
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

function readName(der: Buffer, name: Tlv): CsrSubject {
  const out: CsrSubject = {};
  for (const rdn of children(der, name)) {
    for (const atv of children(der, rdn)) {
      const [type, value] = children(der, atv) as [Tlv, Tlv];
      const key = ATTRIBUTES[readOid(der, type)];
      if (key && out[key] === undefined) out[key] = decodeString(der, value);
    }
  }
  return out;
}

function decodeString(der: Buffer, t: Tlv): string {
  const b = content(der, t);
  if (t.tag === 0x1e) return Buffer.from(b).swap16().toString('utf16le');
  return t.tag === 0x0c ? b.toString('utf8') : b.toString('latin1');
}
