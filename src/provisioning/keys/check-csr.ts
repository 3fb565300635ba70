import { createPublicKey } from 'node:crypto';
import { AppError } from '../../core/errors/index.ts';
import { normaliseName } from '../../domain/normalise-name.ts';
import { normalisePem } from './read-certificate.ts';
import { x509Lib } from './x509-provider.ts';

export interface CheckCsrInput {
  /** The pasted request, PEM (`-----BEGIN CERTIFICATE REQUEST-----`). */
  readonly csrPem: string;
  /** The order's common name; the CSR's CN must be the same name (case and IDN form aside). */
  readonly commonName: string;
}

export type CsrKey =
  | { readonly algorithm: 'rsa'; readonly bits: number }
  | { readonly algorithm: 'ecdsa'; readonly curve: 'P-256' | 'P-384' };

export interface CheckedCsr {
  /** The request, PEM with LF line ends. */
  readonly csrPem: string;
  /** The CSR's CN, normalised (lower case, A-labels). */
  readonly commonName: string;
  /** DNS names and IP addresses the CSR asks for in its SAN extension. */
  readonly requestedNames: readonly string[];
  readonly key: CsrKey;
}

const CURVES: Readonly<Record<string, 'P-256' | 'P-384'>> = {
  prime256v1: 'P-256',
  'P-256': 'P-256',
  secp384r1: 'P-384',
  'P-384': 'P-384',
};

function fail(
  code:
    | 'PROVISIONING_CSR_UNREADABLE'
    | 'PROVISIONING_CSR_BAD_SIGNATURE'
    | 'PROVISIONING_CSR_CN_MISMATCH'
    | 'PROVISIONING_CSR_WEAK_KEY',
  message: string,
  details: Record<string, string | number> = {},
): never {
  throw new AppError(code, message, details);
}

function comparableName(name: string): string | undefined {
  try {
    return normaliseName(name).name;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a pasted CSR and checks what a CA would refuse, before anything is charged: the PEM
 * decodes, the signature verifies with the CSR's own key, the CN is the order's (case-insensitive,
 * normalised: `Bücher.Example.COM.` equals `xn--bcher-kva.example.com`), the key is RSA ≥ 2048 bits
 * or ECDSA on P-256/P-384.
 *
 * @example
 *   await checkCsr({ csrPem, commonName: 'example.com' });
 *   // { commonName: 'example.com', requestedNames: ['example.com', 'www.example.com'], key: { algorithm: 'ecdsa', curve: 'P-256' }, csrPem }
 */
export async function checkCsr(input: CheckCsrInput): Promise<CheckedCsr> {
  const x509 = x509Lib();
  const text = input.csrPem.trim();
  if (
    !/^-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]+-----END (NEW )?CERTIFICATE REQUEST-----$/.test(text)
  ) {
    fail(
      'PROVISIONING_CSR_UNREADABLE',
      'The CSR must be a PEM block from -----BEGIN CERTIFICATE REQUEST----- to -----END CERTIFICATE REQUEST-----.',
    );
  }
  let csr: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    csr = new x509.Pkcs10CertificateRequest(text.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
  } catch {
    fail('PROVISIONING_CSR_UNREADABLE', 'The CSR cannot be decoded: it is not a PKCS#10 request.');
  }

  const key = keyOf(csr.publicKey.rawData);
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid)
    fail(
      'PROVISIONING_CSR_BAD_SIGNATURE',
      "The CSR's signature does not verify with its public key; generate the request again.",
    );

  const rawCn = csr.subjectName.getField('CN')[0];
  if (!rawCn)
    fail('PROVISIONING_CSR_CN_MISMATCH', `The CSR has no common name; it must be ${input.commonName}.`, {
      expected: input.commonName,
    });
  const cn = comparableName(rawCn);
  const expected = comparableName(input.commonName) ?? input.commonName.trim().toLowerCase();
  if (cn !== expected) {
    fail(
      'PROVISIONING_CSR_CN_MISMATCH',
      `The CSR is for "${rawCn}" but the order is for "${input.commonName}"; make a CSR for ${input.commonName}.`,
      {
        csrCommonName: rawCn,
        expected: input.commonName,
      },
    );
  }
  const san = csr.extensions.find((e) => e instanceof x509.SubjectAlternativeNameExtension);
  const requestedNames = (san?.names.items ?? [])
    .filter((n) => n.type === 'dns' || n.type === 'ip')
    .map((n) => n.value.toLowerCase());
  return { csrPem: normalisePem(text), commonName: cn, requestedNames, key };
}

function keyOf(spki: ArrayBuffer): CsrKey {
  let k: ReturnType<typeof createPublicKey>;
  try {
    k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch {
    fail(
      'PROVISIONING_CSR_WEAK_KEY',
      'The CSR key is of a kind certbill cannot read; use RSA (2048 bits or more) or ECDSA P-256/P-384.',
    );
  }
  const details = k.asymmetricKeyDetails ?? {};
  if (k.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < 2048)
      fail(
        'PROVISIONING_CSR_WEAK_KEY',
        `The CSR has a ${bits}-bit RSA key; RSA keys need at least 2048 bits.`,
        { bits },
      );
    return { algorithm: 'rsa', bits };
  }
  if (k.asymmetricKeyType === 'ec') {
    const curve = CURVES[details.namedCurve ?? ''];
    if (!curve)
      fail(
        'PROVISIONING_CSR_WEAK_KEY',
        `The CSR's EC key is on curve ${details.namedCurve ?? 'unknown'}; only P-256 and P-384 are accepted.`,
        { curve: details.namedCurve ?? 'unknown' },
      );
    return { algorithm: 'ecdsa', curve };
  }
  fail(
    'PROVISIONING_CSR_WEAK_KEY',
    `The CSR has a ${k.asymmetricKeyType ?? 'unknown'} key; use RSA (2048 bits or more) or ECDSA P-256/P-384.`,
    {
      algorithm: k.asymmetricKeyType ?? 'unknown',
    },
  );
}
