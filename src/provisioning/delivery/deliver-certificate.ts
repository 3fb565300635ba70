import type { AppContext } from '../../app-context.ts';
import { getService, serviceNotFound } from '../../billing/service-repository.ts';
import { listGenerations, privateKeyAad, readSealedKey } from '../lifecycle/generation-repository.ts';
import { createLifecycleError } from '../lifecycle/lifecycle-error.ts';
import {
  CERTIFICATE_FORMATS,
  formatCertificate,
  type CertificateFormat,
  type DeliveredFile,
} from './certificate-formats.ts';

export interface DeliverCertificateInput {
  readonly serviceId: number;
  readonly format: string;
  /** The PKCS#12 password (required for `p12`; for `zip` it adds the PKCS#12). */
  readonly password?: string;
  /** A client's own services only; null or absent for an admin. */
  readonly clientId?: number | null;
}

export function readCertificateFormat(text: string): CertificateFormat {
  const format = CERTIFICATE_FORMATS.find((f) => f === text.trim().toLowerCase());
  if (!format) {
    throw createLifecycleError(
      'LIFECYCLE_FORMAT_UNKNOWN',
      `Format "${text}" is not offered; use one of ${CERTIFICATE_FORMATS.join(', ')}.`,
      { format: text, allowed: CERTIFICATE_FORMATS },
    );
  }
  return format;
}

/**
 * The service's current certificate in one format. Fails with BILLING_SERVICE_NOT_FOUND (also for
 * another client's service), LIFECYCLE_FORMAT_UNKNOWN, LIFECYCLE_NO_CERTIFICATE,
 * LIFECYCLE_KEY_NOT_HELD (p12 without a held key), LIFECYCLE_PASSWORD_REQUIRED.
 * @example await deliverCertificate(ctx, { serviceId: 7, format: 'fullchain' }) → { fileName: 'example.com.fullchain.pem', … }
 */
export async function deliverCertificate(
  ctx: Pick<AppContext, 'db' | 'secrets'>,
  input: DeliverCertificateInput,
): Promise<DeliveredFile> {
  const format = readCertificateFormat(input.format);
  const service = await getService(ctx.db.kysely, input.serviceId);
  if (input.clientId !== undefined && input.clientId !== null && service.clientId !== input.clientId) {
    throw serviceNotFound(input.serviceId);
  }
  const issued = (await listGenerations(ctx.db.kysely, service.id))
    .filter((g) => g.state === 'issued')
    .at(-1);
  if (!issued?.certificatePem) {
    throw createLifecycleError(
      'LIFECYCLE_NO_CERTIFICATE',
      `Service ${service.id} (${service.commonName}) has no issued certificate yet; it is ${service.status}.`,
      { serviceId: service.id, status: service.status },
    );
  }
  const wantsKey = format === 'p12' || (format === 'zip' && input.password !== undefined);
  let privateKeyPem: string | null = null;
  if (wantsKey) {
    const sealed = await readSealedKey(ctx.db.kysely, issued.id);
    if (!sealed) {
      throw createLifecycleError(
        'LIFECYCLE_KEY_NOT_HELD',
        `certbill does not hold the private key of service ${service.id}'s certificate (the client sent a CSR); download pem, fullchain or p7b and use your own key.`,
        { serviceId: service.id },
      );
    }
    if (input.password === undefined || input.password.length < 4) {
      throw createLifecycleError(
        'LIFECYCLE_PASSWORD_REQUIRED',
        'A PKCS#12 file needs a password of at least 4 characters.',
        { serviceId: service.id },
      );
    }
    privateKeyPem = ctx.secrets.open(sealed, privateKeyAad(issued.id));
  }
  return formatCertificate(
    {
      commonName: service.commonName,
      certificatePem: issued.certificatePem,
      chainPems: issued.chainPems,
      privateKeyPem,
    },
    format,
    input.password,
  );
}
