import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  CertificateChoices,
  CertificateSet,
  EncapsulatedContentInfo,
  id_data,
  id_signedData,
  SignedData,
} from '@peculiar/asn1-cms';
import { ecdsaWithSHA256, ecdsaWithSHA384 } from '@peculiar/asn1-ecc';
import { AsnConvert, AsnProp, AsnPropTypes, AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificatePolicies,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificatePolicies,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_serverAuth,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  PolicyInformation,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  type AlgorithmIdentifier,
} from '@peculiar/asn1-x509';
import type { ParsedCsr } from './parse-csr.ts';
import { fromPem, toPem } from './pem.ts';

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

const POLICY: Record<ValidationLevel, string> = {
  DV: '2.23.140.1.2.1',
  OV: '2.23.140.1.2.2',
  EV: '2.23.140.1.1',
};
// Both CA certificates span every date a test or demo clock may reach.
const CA_NOT_BEFORE = new Date('2015-01-01T00:00:00Z');
const CA_NOT_AFTER = new Date('2049-12-31T23:59:59Z');
const COUNTRY = '2.5.4.6';

function name(parts: Array<[type: string, value: string]>): Name {
  return new Name(
    parts.map(
      ([type, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({
            type,
            value: new AttributeValue(type === COUNTRY ? { printableString: value } : { utf8String: value }),
          }),
        ]),
    ),
  );
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

const keyId = (spki: SubjectPublicKeyInfo): Buffer =>
  createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();

const publicKeyInfo = (key: KeyObject): SubjectPublicKeyInfo =>
  AsnConvert.parse(key.export({ type: 'spki', format: 'der' }), SubjectPublicKeyInfo);

/** 16 random bytes as a positive INTEGER whose first octet is never a padding zero. */
function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f || 0x01;
  return b;
}

type AsnBlock = ReturnType<typeof AsnSerializer.toASN>;

/**
 * A value already built into the library's ASN.1 tree, embedded as is: asn1-schema serializes any
 * IAsnConvertible through its own `toASN()`. A certificate's tree is built once, then signed,
 * wrapped and bundled; the CA's constant parts are built once per CA.
 */
class Encoded {
  constructor(readonly block: AsnBlock) {}
  toASN(): AsnBlock {
    return this.block;
  }
  fromASN(): this {
    throw new Error('Encoded values are write-only.');
  }
}

/** Stands `block` in for a value of type T wherever the schema expects one. */
const encoded = <T>(block: AsnBlock): T => new Encoded(block) as unknown as T;

/**
 * RFC 5652 ContentInfo with its content typed as SignedData. asn1-cms types the content as ANY,
 * which makes the serializer decode again the SignedData it has just encoded.
 */
class SignedDataContentInfo {
  readonly contentType = id_signedData;
  constructor(readonly content: SignedData) {}
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(SignedDataContentInfo.prototype, 'contentType');
AsnProp({ type: SignedData, context: 0 })(SignedDataContentInfo.prototype, 'content');

/** Signs the TBS and returns the certificate's ASN.1 tree (`.toBER()` is its DER). */
function signCertificate(
  tbs: TBSCertificate,
  algorithm: AlgorithmIdentifier,
  hash: string,
  key: KeyObject,
): AsnBlock {
  const tbsBlock = AsnSerializer.toASN(tbs);
  const signature = sign(hash, Buffer.from(tbsBlock.toBER(false)), key);
  return AsnSerializer.toASN(
    new Certificate({
      tbsCertificate: encoded<TBSCertificate>(tbsBlock),
      signatureAlgorithm: algorithm,
      signatureValue: new Uint8Array(signature).buffer,
    }),
  );
}

/** Generates a fresh root (P-384) and intermediate (P-256) pair. */
export function createCaMaterial(): CaMaterial {
  const root = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const inter = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootSpki = publicKeyInfo(root.publicKey);
  const interSpki = publicKeyInfo(inter.publicKey);
  const rootName = name([
    [COUNTRY, 'BE'],
    ['2.5.4.10', 'certbill simulator'],
    ['2.5.4.3', 'certbill Simulator Root CA - R1'],
  ]);
  const interName = name([
    [COUNTRY, 'BE'],
    ['2.5.4.10', 'certbill simulator'],
    ['2.5.4.3', 'certbill Simulator DV/OV/EV CA 2026'],
  ]);
  const rootId = keyId(rootSpki);
  const validity = new Validity({ notBefore: CA_NOT_BEFORE, notAfter: CA_NOT_AFTER });
  const rootTbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial()).buffer,
    signature: ecdsaWithSHA384,
    issuer: rootName,
    validity,
    subject: rootName,
    subjectPublicKeyInfo: rootSpki,
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true })),
      extension(id_ce_keyUsage, true, new KeyUsage(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(rootId)),
    ]),
  });
  const interTbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: new Uint8Array(serial()).buffer,
    signature: ecdsaWithSHA384,
    issuer: rootName,
    validity,
    subject: interName,
    subjectPublicKeyInfo: interSpki,
    extensions: new Extensions([
      extension(id_ce_basicConstraints, true, new BasicConstraints({ cA: true, pathLenConstraint: 0 })),
      extension(
        id_ce_keyUsage,
        true,
        new KeyUsage(KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign),
      ),
      extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
      extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(interSpki))),
      extension(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(rootId) }),
      ),
    ]),
  });
  const pkcs8 = (k: KeyObject): string => k.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    rootPem: toPem(
      signCertificate(rootTbs, ecdsaWithSHA384, 'sha384', root.privateKey).toBER(false),
      'CERTIFICATE',
    ),
    rootKeyPem: pkcs8(root.privateKey),
    intermediatePem: toPem(
      signCertificate(interTbs, ecdsaWithSHA384, 'sha384', root.privateKey).toBER(false),
      'CERTIFICATE',
    ),
    intermediateKeyPem: pkcs8(inter.privateKey),
  };
}

/** The parts every leaf of one kind shares, built into ASN.1 trees once per CA. */
interface LeafTemplate {
  signature: AlgorithmIdentifier;
  issuer: Name;
  basicConstraints: Extension;
  keyUsage: Record<ParsedCsr['keyType'], Extension>;
  extKeyUsage: Extension;
  authorityKeyId: Extension;
  policies: Record<ValidationLevel, Extension>;
}

/** `value` built into its ASN.1 tree now, to be embedded as is in every certificate. */
const prebuilt = <T>(value: T): T => encoded<T>(AsnSerializer.toASN(value));

const CACHED_LEAVES = 1024;

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
  /** Intermediate and root, built once for every bundle. */
  private readonly chain: [AsnBlock, AsnBlock];
  private readonly interKey: KeyObject;
  private readonly template: LeafTemplate;
  // Recently issued leaves, so their bundle is built without decoding the certificate again, and
  // the bundles themselves: GetOrderByOrderID with fulfillment asks for one on every poll.
  private readonly leaves = new Map<string, AsnBlock>();
  private readonly bundles = new Map<string, string>();

  constructor(material: CaMaterial) {
    this.rootPem = material.rootPem;
    this.intermediatePem = material.intermediatePem;
    const root = AsnConvert.parse(fromPem(material.rootPem, ['CERTIFICATE']), Certificate);
    const intermediate = AsnConvert.parse(fromPem(material.intermediatePem, ['CERTIFICATE']), Certificate);
    this.chain = [AsnSerializer.toASN(intermediate), AsnSerializer.toASN(root)];
    this.interKey = createPrivateKey(material.intermediateKeyPem);
    const interId = keyId(publicKeyInfo(createPublicKey(this.interKey)));
    const usage = KeyUsageFlags.digitalSignature;
    const prebuiltExtension = (id: string, critical: boolean, value: object): Extension =>
      prebuilt(extension(id, critical, value));
    this.template = {
      signature: prebuilt(ecdsaWithSHA256),
      issuer: prebuilt(intermediate.tbsCertificate.subject),
      basicConstraints: prebuiltExtension(id_ce_basicConstraints, true, new BasicConstraints()),
      keyUsage: {
        ec: prebuiltExtension(id_ce_keyUsage, true, new KeyUsage(usage)),
        rsa: prebuiltExtension(id_ce_keyUsage, true, new KeyUsage(usage | KeyUsageFlags.keyEncipherment)),
      },
      extKeyUsage: prebuiltExtension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth])),
      authorityKeyId: prebuiltExtension(
        id_ce_authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(interId) }),
      ),
      policies: {
        DV: prebuilt(policyExtension('DV')),
        OV: prebuilt(policyExtension('OV')),
        EV: prebuilt(policyExtension('EV')),
      },
    };
  }

  issue(req: LeafRequest): IssuedLeaf {
    const validity = new Validity({ notBefore: req.notBefore, notAfter: req.notAfter });
    const serialBytes = serial();
    const altNames = new SubjectAlternativeName([
      ...req.dnsNames.map((dNSName) => new GeneralName({ dNSName })),
      ...req.ipAddresses.map((iPAddress) => new GeneralName({ iPAddress })),
    ]);
    const t = this.template;
    const tbs = new TBSCertificate({
      version: Version.v3,
      serialNumber: new Uint8Array(serialBytes).buffer,
      signature: t.signature,
      issuer: t.issuer,
      validity,
      subject: req.level === 'DV' ? name([['2.5.4.3', req.commonName]]) : req.csr.subjectName,
      subjectPublicKeyInfo: req.csr.publicKeyInfo,
      extensions: new Extensions([
        t.basicConstraints,
        t.keyUsage[req.csr.keyType],
        t.extKeyUsage,
        extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(req.csr.publicKeyInfo))),
        t.authorityKeyId,
        extension(id_ce_subjectAltName, false, altNames),
        t.policies[req.level],
      ]),
    });
    const certificate = signCertificate(tbs, t.signature, 'sha256', this.interKey);
    const pem = toPem(certificate.toBER(false), 'CERTIFICATE');
    remember(this.leaves, pem, certificate);
    return {
      pem,
      serialNumber: serialBytes.toString('hex').toUpperCase(),
      notBefore: validity.notBefore.getTime(),
      notAfter: validity.notAfter.getTime(),
    };
  }

  /** A degenerate PKCS#7 SignedData holding the leaf, the intermediate and the root. */
  pkcs7(leafPem: string): string {
    const known = this.bundles.get(leafPem);
    if (known) return known;
    const leaf =
      this.leaves.get(leafPem) ??
      AsnSerializer.toASN(AsnConvert.parse(fromPem(leafPem, ['CERTIFICATE']), Certificate));
    const signedData = new SignedData({
      version: 1,
      encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data }),
      certificates: new CertificateSet(
        [leaf, ...this.chain].map(
          (block) => new CertificateChoices({ certificate: encoded<Certificate>(block) }),
        ),
      ),
    });
    const bundle = toPem(AsnConvert.serialize(new SignedDataContentInfo(signedData)), 'PKCS7');
    this.leaves.delete(leafPem);
    remember(this.bundles, leafPem, bundle);
    return bundle;
  }
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.set(key, value);
  if (cache.size > CACHED_LEAVES) cache.delete(cache.keys().next().value!);
}

function policyExtension(level: ValidationLevel): Extension {
  return extension(
    id_ce_certificatePolicies,
    false,
    new CertificatePolicies([new PolicyInformation({ policyIdentifier: POLICY[level] })]),
  );
}
