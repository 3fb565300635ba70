import { AppError } from '../../core/errors/index.ts';
import { normalisePem, readCertificate } from '../../provisioning/keys/read-certificate.ts';
import type {
  IssuedOutcome,
  NameValidation,
  OrderOutcome,
  PendingOutcome,
  ValidationMethod,
} from '../../provisioning/processing-module.ts';
import type { CertificateInfo, Fulfillment, OrderDetail } from './types.ts';

/** Where GlobalSign's HTTP validation file lives on the validated host. */
export const HTTP_VALIDATION_PATH = '/.well-known/pki-validation/gsdv.txt';

/**
 * The token of a URLVerification MetaTag (`<meta name="…globalsign-domain-verification" content="TOKEN" />`);
 * the whole text when it is not a tag.
 *
 * @example metaTagToken('<meta name="_globalsign-domain-verification" content="abc" />'); // 'abc'
 */
export function metaTagToken(metaTag: string): string {
  const m = /content\s*=\s*"([^"]*)"/i.exec(metaTag) ?? /content\s*=\s*'([^']*)'/i.exec(metaTag);
  return (m?.[1] ?? metaTag).trim();
}

/**
 * How an order's names were validated, from what GlobalSign tells about it: an approver address
 * means e-mail, the DNS flag DNS, a URL verification event HTTP; OV and EV are vetted by the CA.
 */
export function validationMethodOf(detail: OrderDetail): ValidationMethod {
  const code = detail.info.productCode.toUpperCase();
  if (/^(TEST_)?(OV|EV)/.test(code)) return 'ca-vetting';
  if (detail.option?.approverEmailAddress) return 'email';
  if (detail.subInfo?.dnsOrder || code.includes('_DNS')) return 'dns';
  if (
    code.includes('_URL') ||
    detail.modificationEvents.some((e) => /VARIFICATION_URL|VERIFICATION_URL/.test(e.name))
  ) {
    return 'http';
  }
  return 'email';
}

function certificateOf(
  fulfillment: Fulfillment | undefined,
  caOrderId: string,
): IssuedOutcome['certificate'] {
  const leaf = fulfillment?.serverCertificate?.x509Pem;
  if (!leaf) {
    throw new AppError(
      'PROVISIONING_CA_BAD_ANSWER',
      `GlobalSign reports order ${caOrderId} issued but sent no certificate; fetch it again later.`,
      { caOrderId },
    );
  }
  const facts = readCertificate(leaf);
  const root = fulfillment.caCertificates.find((c) => c.type.toUpperCase() === 'ROOT');
  return {
    certificatePem: normalisePem(leaf),
    // GlobalSign lists ROOT before INTER; a server sends the intermediates, the one nearest the leaf first.
    chainPems: fulfillment.caCertificates
      .filter((c) => c.type.toUpperCase() === 'INTER')
      .map((c) => normalisePem(c.pem))
      .reverse(),
    ...(root ? { rootPem: normalisePem(root.pem) } : {}),
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    serialNumber: facts.serialNumber,
    commonName: facts.commonName,
    names: facts.names,
  };
}

function validationsOf(
  certificate: IssuedOutcome['certificate'],
  method: ValidationMethod,
  validatedAt: string,
): NameValidation[] {
  const names = [certificate.commonName.toLowerCase(), ...certificate.names].filter((n) => n !== '');
  return [...new Set(names)].map((name) => ({ name, method, validatedAt }));
}

/**
 * The outcome of a GetOrderByOrderID answer. A reissue re-uses the validations of the order it
 * reissues, so its `validations` is empty; the caller keeps the earlier ones.
 */
export function outcomeOfDetail(caOrderId: string, detail: OrderDetail): OrderOutcome {
  const caStatus = detail.info.statusCode;
  switch (detail.info.status) {
    case 'issued': {
      const certificate = certificateOf(detail.fulfillment, caOrderId);
      const reissue = detail.info.originalOrderIdForReissue !== undefined;
      const validatedAt = (
        detail.option?.approverConfirmDate ??
        detail.info.orderCompleteDate ??
        new Date(certificate.notBefore)
      ).toISOString();
      return {
        status: 'issued',
        caOrderId,
        certificate,
        validations: reissue ? [] : validationsOf(certificate, validationMethodOf(detail), validatedAt),
        caStatus,
      };
    }
    case 'initial': {
      const method = validationMethodOf(detail);
      if (method === 'ca-vetting') {
        return {
          status: 'pending',
          caOrderId,
          reason: 'organization-vetting',
          validation: { method },
          caStatus,
        };
      }
      const approverEmail = detail.option?.approverEmailAddress;
      const pending: PendingOutcome = {
        status: 'pending',
        caOrderId,
        reason: 'domain-validation',
        ...(method === 'email'
          ? { validation: { method: 'email', ...(approverEmail ? { approverEmail } : {}) } }
          : {}),
        caStatus,
      };
      return pending;
    }
    case 'waiting_phishing_check':
      return { status: 'pending', caOrderId, reason: 'phishing-review', caStatus };
    case 'cancelled_not_issued': {
      const rejected = detail.modificationEvents.some((e) => /REJECT/i.test(e.name));
      return rejected
        ? {
            status: 'rejected',
            caOrderId,
            reason: 'validation-rejected',
            message: 'The approver declined the validation request; GlobalSign cancelled the order.',
            caStatus,
          }
        : {
            status: 'rejected',
            caOrderId,
            reason: 'cancelled',
            message: 'GlobalSign cancelled the order before issue.',
            caStatus,
          };
    }
    case 'cancelled_issued':
      return {
        status: 'rejected',
        caOrderId,
        reason: 'cancelled',
        message: 'GlobalSign cancelled the order after issue; its certificate is no longer valid.',
        caStatus,
      };
    case 'waiting_revocation':
    case 'revoked':
      return {
        status: 'rejected',
        caOrderId,
        reason: 'revoked',
        message:
          detail.info.status === 'revoked'
            ? 'The certificate of this order is revoked.'
            : 'The certificate of this order is being revoked.',
        caStatus,
      };
    case 'unknown':
      return { status: 'pending', caOrderId, reason: 'processing', caStatus };
  }
}

/** The outcome of URLVerificationForIssue / DVDNSVerificationForIssue, which issue at once. */
export function outcomeOfIssue(
  caOrderId: string,
  issue: { certificateInfo?: CertificateInfo; fulfillment?: Fulfillment },
  method: ValidationMethod,
  validatedAt: Date,
): IssuedOutcome {
  const certificate = certificateOf(issue.fulfillment, caOrderId);
  return {
    status: 'issued',
    caOrderId,
    certificate,
    validations: validationsOf(certificate, method, validatedAt.toISOString()),
    caStatus: issue.certificateInfo?.statusCode ?? '4',
  };
}
