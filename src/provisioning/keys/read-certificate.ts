import { AppError } from '../../core/errors/index.ts';
import { x509Lib } from './x509-provider.ts';

export interface CertificateFacts {
  /** ISO 8601 instants. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Lower-case hex, no separators. */
  readonly serialNumber: string;
  /** The subject's CN, or '' when it has none. */
  readonly commonName: string;
  /** DNS names and IP addresses of the SAN extension, in order. */
  readonly names: readonly string[];
}

/**
 * Reads the dates, serial and names of a PEM certificate: the truth about what a CA issued, whatever
 * its API said.
 *
 * @example readCertificate(pem).notAfter; // '2026-10-19T11:59:59.000Z'
 */
export function readCertificate(pem: string): CertificateFacts {
  const x509 = x509Lib();
  let cert: InstanceType<typeof x509.X509Certificate>;
  try {
    cert = new x509.X509Certificate(pem);
  } catch (e) {
    throw new AppError(
      'PROVISIONING_CA_BAD_ANSWER',
      'The CA sent a certificate that cannot be decoded.',
      {},
      { cause: e },
    );
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = (san?.names.items ?? [])
    .filter((n) => n.type === 'dns' || n.type === 'ip')
    .map((n) => n.value.toLowerCase());
  return {
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    serialNumber: cert.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    names,
  };
}

/** A PEM block with LF line ends and a final newline. */
export function normalisePem(pem: string): string {
  return pem.replace(/\r\n?/g, '\n').trim() + '\n';
}
