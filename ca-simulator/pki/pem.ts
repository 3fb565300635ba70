import { PemConverter } from './x509.ts';

/**
 * PEM with CRLF line ends, as GlobalSign returns certificates.
 *
 * @example toPem(der, 'CERTIFICATE') // '-----BEGIN CERTIFICATE-----\r\nMIIB…\r\n-----END CERTIFICATE-----\r\n'
 */
export function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  return PemConverter.encode(der, label).replace(/\n/g, '\r\n') + '\r\n';
}

/**
 * The DER of the first PEM block with one of `labels`; throws RangeError when there is none.
 * Line ends and indentation (a PEM pasted into XML) are tolerated.
 *
 * @example fromPem(csrPem, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])
 */
export function fromPem(pem: string, labels: readonly string[]): Buffer {
  const lines = pem
    .replace(/\r/g, '')
    .split('\n')
    .map((line) => line.trim());
  const block = PemConverter.decodeWithHeaders(lines.join('\n')).find((b) => labels.includes(b.type));
  if (!block) throw new RangeError(`PEM: no ${labels.join(' or ')} block found`);
  return Buffer.from(block.rawData);
}
