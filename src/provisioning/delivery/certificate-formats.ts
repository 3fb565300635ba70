import yazl from 'yazl';
import { x509Lib } from '../keys/x509-provider.ts';
import { buildPkcs12 } from './build-pkcs12.ts';

/** The download formats, as `--format` and `?format=` take them. */
export const CERTIFICATE_FORMATS = ['pem', 'chain', 'fullchain', 'p7b', 'p12', 'zip'] as const;
export type CertificateFormat = (typeof CERTIFICATE_FORMATS)[number];

/** An issued certificate with what is delivered beside it. */
export interface CertificateBundle {
  readonly commonName: string;
  readonly certificatePem: string;
  /** Intermediates, leaf-side first. */
  readonly chainPems: readonly string[];
  /** PKCS#8 PEM when certbill holds the key. */
  readonly privateKeyPem: string | null;
}

/** A file to hand over, e.g. `{ fileName: 'example.com.fullchain.pem', contentType: 'application/x-pem-file', body }`. */
export interface DeliveredFile {
  readonly fileName: string;
  readonly contentType: string;
  readonly body: Buffer;
}

function joinPems(pems: readonly string[]): string {
  return pems.map((p) => p.replace(/\r\n?/g, '\n').trim() + '\n').join('');
}

function baseName(commonName: string): string {
  return commonName.replace(/^\*\./, 'wildcard.').replace(/[^a-z0-9.-]/gi, '_');
}

/** PKCS#7 (certs-only SignedData) with the leaf and the chain, PEM. */
export function buildPkcs7(bundle: CertificateBundle): string {
  const x509 = x509Lib();
  const certs = [bundle.certificatePem, ...bundle.chainPems].map((pem) => new x509.X509Certificate(pem));
  const der = Buffer.from(new x509.X509Certificates(certs).export('raw'));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PKCS7-----\n${lines.join('\n')}\n-----END PKCS7-----\n`;
}

async function zipOf(files: readonly DeliveredFile[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.body, f.fileName);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const PEM = 'application/x-pem-file';

/**
 * One format of an issued certificate: `pem` the leaf, `chain` the intermediates, `fullchain` leaf
 * then intermediates, `p7b` PKCS#7, `p12` PKCS#12 with the key (needs the key and a password), `zip`
 * all of them (the key and the PKCS#12 only when the key is held and a password is given).
 * @example (await formatCertificate(bundle, 'fullchain')).fileName → 'example.com.fullchain.pem'
 */
export async function formatCertificate(
  bundle: CertificateBundle,
  format: CertificateFormat,
  password?: string,
): Promise<DeliveredFile> {
  const name = baseName(bundle.commonName);
  switch (format) {
    case 'pem':
      return {
        fileName: `${name}.crt.pem`,
        contentType: PEM,
        body: Buffer.from(joinPems([bundle.certificatePem])),
      };
    case 'chain':
      return {
        fileName: `${name}.chain.pem`,
        contentType: PEM,
        body: Buffer.from(joinPems(bundle.chainPems)),
      };
    case 'fullchain':
      return {
        fileName: `${name}.fullchain.pem`,
        contentType: PEM,
        body: Buffer.from(joinPems([bundle.certificatePem, ...bundle.chainPems])),
      };
    case 'p7b':
      return {
        fileName: `${name}.p7b`,
        contentType: 'application/x-pkcs7-certificates',
        body: Buffer.from(buildPkcs7(bundle)),
      };
    case 'p12': {
      if (!bundle.privateKeyPem || password === undefined)
        throw new Error('p12 needs the key and a password');
      const body = await buildPkcs12({
        certificatePem: bundle.certificatePem,
        chainPems: bundle.chainPems,
        privateKeyPem: bundle.privateKeyPem,
        password,
        friendlyName: bundle.commonName,
      });
      return { fileName: `${name}.p12`, contentType: 'application/x-pkcs12', body };
    }
    case 'zip': {
      const files = await Promise.all(
        (['pem', 'chain', 'fullchain', 'p7b'] as const).map((f) => formatCertificate(bundle, f)),
      );
      if (bundle.privateKeyPem && password !== undefined)
        files.push(await formatCertificate(bundle, 'p12', password));
      return { fileName: `${name}.zip`, contentType: 'application/zip', body: await zipOf(files) };
    }
  }
}
