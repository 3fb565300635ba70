import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import type { ClassifiedName, FoldedName, PriceLine } from '../domain/index.ts';
import { getAccountOfClient } from './account-repository.ts';
import type { BillingContext } from './billing-context.ts';
import { checkCsr } from '../provisioning/keys/check-csr.ts';
import { generateKeyAndCsr } from '../provisioning/keys/generate-key-and-csr.ts';
import type { ExtendedValidation, Organization } from '../provisioning/processing-module.ts';
import { readOrganizationDetails } from './read-organization-details.ts';
import { pendingProvisioning } from './provisioning-gateway.ts';
import { quoteTariffOrder } from './quote-tariff-order.ts';
import { readEmail } from './read-text.ts';
import { recordPaidService } from './record-paid-service.ts';
import { runIdempotently } from './run-idempotently.ts';
import {
  DCV_METHODS,
  type DcvChoice,
  type DcvMethod,
  type ProvisioningParameters,
} from './service-repository.ts';
import { readCurrentTariff } from './tariff-repository.ts';

export interface PlaceCertificateOrderInput {
  readonly clientId: number;
  readonly tariffId: number;
  readonly years: number;
  readonly cn: string;
  readonly sans?: readonly string[];
  /** The client's CSR (PEM); leave out to let certbill generate key and CSR. */
  readonly csr?: string | null;
  /** Default true when no CSR is given. */
  readonly generateKey?: boolean;
  /**
   * Default true. False ("Do not save the key"): the key and CSR are generated now, the CSR is
   * stored as if the client had given it, and the private key is returned once in `privateKeyPem`
   * and never stored.
   */
  readonly saveKey?: boolean;
  /**
   * OV/EV: the organization the certificate names, an `Organization` of the module contract
   * (required there, refused for DV). Checked field by field, so it may come straight from JSON.
   */
  readonly organization?: Organization | Record<string, unknown> | null;
  /** EV: an `ExtendedValidation` (business category, requestor, approver, signer, jurisdiction). */
  readonly extendedValidation?: ExtendedValidation | Record<string, unknown> | null;
  /** `email`, `email:<approver address>`, `http` or `dns`; default `email`; ignored for OV/EV. */
  readonly dcv?: string | null;
  readonly idempotencyKey: string;
}

export interface PlacedOrder {
  readonly serviceId: number;
  readonly charged: Money;
  readonly commonName: string;
  readonly names: readonly ClassifiedName[];
  /** Inputs folded because they repeat the CN or another name; not charged. */
  readonly folded: readonly FoldedName[];
  readonly lines: readonly PriceLine[];
  /** True when the idempotency key was seen before: this is the first call's result, nothing was charged now. */
  readonly replayed: boolean;
  /**
   * The generated private key (PKCS#8 PEM) of a "Do not save the key" order, on the first answer
   * only: certbill keeps no copy, so a replay cannot return it.
   */
  readonly privateKeyPem?: string;
}

/**
 * A client orders a certificate: the names and the price come from the domain rules, the price is
 * charged from the balance and the service is written in state `ordered` in one transaction, then
 * handed to provisioning. Safe to repeat with the same idempotency key.
 * Fails with BILLING_TARIFF_NOT_FOUND, BILLING_TARIFF_INACTIVE, BILLING_PERIOD_NOT_SOLD,
 * BILLING_ADDON_NOT_SOLD, BILLING_WILDCARD_MISMATCH, DOMAIN_* (names), BILLING_CURRENCY_MISMATCH,
 * BILLING_INSUFFICIENT_BALANCE, BILLING_INVALID_ORDER (also missing OV/EV organization data, with
 * `details.field`), BILLING_IDEMPOTENCY_KEY_REUSED.
 * @example
 *   await placeCertificateOrder(ctx, { clientId: 1, tariffId: 1, years: 5, cn: 'example.com',
 *     sans: ['www.example.com', 'test.example.com'], dcv: 'dns', idempotencyKey: 'order-77' })
 *   → { serviceId: 1, charged: { amountMinor: 12000, currency: 'USD' }, replayed: false, … }
 */
export async function placeCertificateOrder(
  ctx: BillingContext,
  input: PlaceCertificateOrderInput,
): Promise<PlacedOrder> {
  const csr = readCsr(input);
  // A CSR the CA would refuse (bad signature, another CN, weak key) is refused before any money
  // moves, not after the client has paid.
  if (csr !== null) await checkCsr({ csrPem: csr, commonName: input.cn });
  const generateKey = csr === null;
  const saveKey = input.saveKey ?? true;
  if (!saveKey && !generateKey) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      'Not saving the key applies to a key certbill generates; with your own CSR certbill never has the key.',
      { field: 'saveKey' },
    );
  }
  // A key that must not be kept is made now and handed back once; the lifecycle then sees only a CSR.
  const generated = saveKey
    ? null
    : await generateKeyAndCsr({ commonName: input.cn, sans: (input.sans ?? []).map((n) => n.trim()) });
  const dcv = parseDcvChoice(input.dcv ?? 'email');
  const { result, replayed } = await runIdempotently(
    ctx,
    {
      operation: 'order',
      owner: `client:${input.clientId}`,
      key: input.idempotencyKey,
      request: {
        tariffId: input.tariffId,
        years: input.years,
        cn: input.cn,
        sans: input.sans ?? [],
        csr,
        generateKey,
        ...(saveKey ? {} : { saveKey }),
        dcv,
        ...(input.organization ? { organization: input.organization } : {}),
        ...(input.extendedValidation ? { extendedValidation: input.extendedValidation } : {}),
      },
    },
    async (trx) => {
      const tariff = await readCurrentTariff(ctx.db, trx, input.tariffId);
      const quote = quoteTariffOrder(tariff, input);
      const organization = readOrganizationDetails(tariff.validation, input);
      const account = await getAccountOfClient(trx, input.clientId);
      const provisioning: ProvisioningParameters = {
        csr: generated?.csrPem ?? csr,
        generateKey,
        saveKey,
        dcv: tariff.validation === 'DV' ? dcv : null,
        organization,
      };
      const paid = await recordPaidService(trx, ctx.clock.now(), {
        account,
        tariff,
        quote,
        kind: 'new',
        previousServiceId: null,
        provisioning,
      });
      return {
        serviceId: paid.serviceId,
        charged: paid.charged,
        commonName: quote.cn,
        names: quote.names,
        folded: quote.folded,
        lines: quote.lines,
      };
    },
  );
  await (ctx.provisioning ?? pendingProvisioning).serviceOrdered(result.serviceId);
  return {
    ...result,
    replayed,
    ...(generated && !replayed ? { privateKeyPem: generated.privateKeyPem } : {}),
  };
}

/**
 * @example parseDcvChoice('email:admin@example.com') → { method: 'email', email: 'admin@example.com' }
 */
export function parseDcvChoice(text: string): DcvChoice {
  const [method = '', ...rest] = text.trim().split(':');
  const found = DCV_METHODS.find((m) => m === method.toLowerCase());
  if (!found) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      `Domain validation method "${text}" is not known; use email, email:<approver address>, http or dns.`,
      { dcv: text, allowed: DCV_METHODS },
    );
  }
  const address = rest.join(':');
  if (found !== 'email' && address !== '') {
    throw new AppError('BILLING_INVALID_ORDER', `Only email validation takes an address; got "${text}".`, {
      dcv: text,
    });
  }
  return {
    method: found as DcvMethod,
    email: address === '' ? null : readEmail(address, 'approver address'),
  };
}

function readCsr(input: PlaceCertificateOrderInput): string | null {
  const csr = input.csr?.trim() || null;
  if (csr !== null && input.generateKey === true) {
    throw new AppError('BILLING_INVALID_ORDER', 'Give either a CSR or ask for key generation, not both.', {
      field: 'csr',
    });
  }
  if (
    csr !== null &&
    !/^-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]+-----END (NEW )?CERTIFICATE REQUEST-----$/.test(csr)
  ) {
    throw new AppError(
      'BILLING_INVALID_ORDER',
      'The CSR is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----).',
      { field: 'csr' },
    );
  }
  if (csr === null && input.generateKey === false) {
    throw new AppError('BILLING_INVALID_ORDER', 'Give a CSR or let certbill generate the key and CSR.', {
      field: 'csr',
    });
  }
  return csr;
}
