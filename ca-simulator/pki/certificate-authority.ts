import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import {
  bits,
  bool,
  children,
  ctx,
  ctxPrim,
  derToPem,
  int,
  octets,
  oid,
  pemToDer,
  printable,
  readTlv,
  seq,
  set,
  time,
  tlv,
  utf8,
  whole,
} from './der.ts';
import type { ParsedCsr } from './parse-csr.ts';

/** The simulator's CA keys and certificates, persisted in the state file so the chain stays stable. */
export interface CaMaterial {
  rootPem: string;
  rootKeyPem: string;
  intermediatePem: string;
  intermediateKeyPem: string;
}

export type ValidationLevel = 'DV' | 'OV' | 'EV';

export interface LeafRequest {
  csr: ParsedCsr;
  commonName: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  level: ValidationLevel;
}

export interface IssuedLeaf {
  pem: string;
  /** Upper-case hex, as CertificateInfo/SerialNumber. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const ECDSA_SHA384 = seq(oid('1.2.840.10045.4.3.3'));
const POLICY: Record<ValidationLevel, string> = {
  DV: '2.23.140.1.2.1',
  OV: '2.23.140.1.2.2',
  EV: '2.23.140.1.1',
};
// Both CA certificates span every date a test or demo clock may reach.
const CA_NOT_BEFORE = new Date('2015-01-01T00:00:00Z');
const CA_NOT_AFTER = new Date('2049-12-31T23:59:59Z');

const KU_DIGITAL_SIGNATURE = 0x80;
const KU_KEY_ENCIPHERMENT = 0x20;
const KU_KEY_CERT_SIGN = 0x04;
const KU_CRL_SIGN = 0x02;

function name(parts: Array<[string, string]>): Buffer {
  return seq(
    ...parts.map(([type, value]) => set(seq(oid(type), type === '2.5.4.6' ? printable(value) : utf8(value)))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function keyUsage(flags: number): Buffer {
  let unused = 0;
  while (unused < 7 && (flags & (1 << unused)) === 0) unused++;
  return tlv(0x03, Buffer.from([unused, flags]));
}

const keyId = (publicKeyBits: Buffer): Buffer => createHash('sha1').update(publicKeyBits).digest();

function spkiBits(spkiDer: Buffer): Buffer {
  const [, bitString] = children(spkiDer, readTlv(spkiDer, 0));
  return spkiDer.subarray(bitString!.contentStart + 1, bitString!.end);
}

function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b;
}

function signCertificate(tbs: Buffer, alg: Buffer, hash: string, key: KeyObject): Buffer {
  return seq(tbs, alg, bits(sign(hash, tbs, key)));
}

function subjectOf(certDer: Buffer): Buffer {
  const tbs = children(certDer, readTlv(certDer, 0))[0]!;
  return whole(certDer, children(certDer, tbs)[5]!);
}

/** Generates a fresh root (P-384) and intermediate (P-256) pair. */
export function createCaMaterial(): CaMaterial {
  const root = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const inter = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootSpki = root.publicKey.export({ type: 'spki', format: 'der' });
  const interSpki = inter.publicKey.export({ type: 'spki', format: 'der' });
  const rootName = name([
    ['2.5.4.6', 'BE'],
    ['2.5.4.10', 'certbill simulator'],
    ['2.5.4.3', 'certbill Simulator Root CA - R1'],
  ]);
  const interName = name([
    ['2.5.4.6', 'BE'],
    ['2.5.4.10', 'certbill simulator'],
    ['2.5.4.3', 'certbill Simulator DV/OV/EV CA 2026'],
  ]);
  const rootId = keyId(spkiBits(rootSpki));
  const rootTbs = seq(
    ctx(0, int(2)),
    int(serial()),
    ECDSA_SHA384,
    rootName,
    seq(time(CA_NOT_BEFORE), time(CA_NOT_AFTER)),
    rootName,
    rootSpki,
    ctx(
      3,
      seq(
        extension('2.5.29.19', true, seq(bool(true))),
        extension('2.5.29.15', true, keyUsage(KU_KEY_CERT_SIGN | KU_CRL_SIGN)),
        extension('2.5.29.14', false, octets(rootId)),
      ),
    ),
  );
  const interTbs = seq(
    ctx(0, int(2)),
    int(serial()),
    ECDSA_SHA384,
    rootName,
    seq(time(CA_NOT_BEFORE), time(CA_NOT_AFTER)),
    interName,
    interSpki,
    ctx(
      3,
      seq(
        extension('2.5.29.19', true, seq(bool(true), int(0))),
        extension('2.5.29.15', true, keyUsage(KU_DIGITAL_SIGNATURE | KU_KEY_CERT_SIGN | KU_CRL_SIGN)),
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
        extension('2.5.29.14', false, octets(keyId(spkiBits(interSpki)))),
        extension('2.5.29.35', false, seq(ctxPrim(0, rootId))),
      ),
    ),
  );
  const pkcs8 = (k: KeyObject): string => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    rootPem: derToPem(signCertificate(rootTbs, ECDSA_SHA384, 'sha384', root.privateKey), 'CERTIFICATE'),
    rootKeyPem: pkcs8(root.privateKey),
    intermediatePem: derToPem(
      signCertificate(interTbs, ECDSA_SHA384, 'sha384', root.privateKey),
      'CERTIFICATE',
    ),
    intermediateKeyPem: pkcs8(inter.privateKey),
  };
}

/**
 * Issues leaf certificates under the intermediate and bundles them as PKCS#7.
 *
 * @example
 *   const ca = new CertificateAuthority(createCaMaterial());
 *   const leaf = ca.issue({ csr, commonName: 'example.com', dnsNames: ['example.com'], ipAddresses: [],
 *     notBefore, notAfter, level: 'DV' });
 *   ca.pkcs7(leaf.pem); // '-----BEGIN PKCS7-----\r\n…'
 */
export class CertificateAuthority {
  readonly rootPem: string;
  readonly intermediatePem: string;
  private readonly rootDer: Buffer;
  private readonly interDer: Buffer;
  private readonly interName: Buffer;
  private readonly interKeyId: Buffer;
  private readonly interKey: KeyObject;

  constructor(material: CaMaterial) {
    this.rootPem = material.rootPem;
    this.intermediatePem = material.intermediatePem;
    this.rootDer = pemToDer(material.rootPem, 'CERTIFICATE');
    this.interDer = pemToDer(material.intermediatePem, 'CERTIFICATE');
    this.interName = subjectOf(this.interDer);
    this.interKey = createPrivateKey(material.intermediateKeyPem);
    const interSpki = createPublicKey(this.interKey).export({ type: 'spki', format: 'der' });
    this.interKeyId = keyId(spkiBits(interSpki));
  }

  issue(req: LeafRequest): IssuedLeaf {
    const notBefore = new Date(Math.floor(req.notBefore.getTime() / 1000) * 1000);
    const notAfter = new Date(Math.floor(req.notAfter.getTime() / 1000) * 1000);
    const serialBytes = serial();
    const subject = req.level === 'DV' ? name([['2.5.4.3', req.commonName]]) : req.csr.subjectDer;
    const altNames = [
      ...req.dnsNames.map((n) => ctxPrim(2, Buffer.from(n, 'latin1'))),
      ...req.ipAddresses.map((ip) => ctxPrim(7, Buffer.from(ipaddr.parse(ip).toByteArray()))),
    ];
    const usage = KU_DIGITAL_SIGNATURE | (req.csr.keyType === 'rsa' ? KU_KEY_ENCIPHERMENT : 0);
    const tbs = seq(
      ctx(0, int(2)),
      int(serialBytes),
      ECDSA_SHA256,
      this.interName,
      seq(time(notBefore), time(notAfter)),
      subject,
      req.csr.spkiDer,
      ctx(
        3,
        seq(
          extension('2.5.29.19', true, seq()),
          extension('2.5.29.15', true, keyUsage(usage)),
          extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))),
          extension('2.5.29.14', false, octets(keyId(req.csr.publicKeyBits))),
          extension('2.5.29.35', false, seq(ctxPrim(0, this.interKeyId))),
          extension('2.5.29.17', false, seq(...altNames)),
          extension('2.5.29.32', false, seq(seq(oid(POLICY[req.level])))),
        ),
      ),
    );
    const der = signCertificate(tbs, ECDSA_SHA256, 'sha256', this.interKey);
    return {
      pem: derToPem(der, 'CERTIFICATE'),
      serialNumber: serialBytes.toString('hex').toUpperCase(),
      notBefore,
      notAfter,
    };
  }

  /** A degenerate PKCS#7 SignedData holding the leaf, the intermediate and the root. */
  pkcs7(leafPem: string): string {
    const certs = [pemToDer(leafPem, 'CERTIFICATE'), this.interDer, this.rootDer];
    const signedData = seq(int(1), set(), seq(oid('1.2.840.113549.1.7.1')), ctx(0, ...certs), set());
    return derToPem(seq(oid('1.2.840.113549.1.7.2'), ctx(0, signedData)), 'PKCS7');
  }
}
