import type { ErrorEntry } from '../catalogue.ts';

export const LIFECYCLE_ERRORS = {
  LIFECYCLE_NO_CERTIFICATE: {
    kind: 'conflict',
    doc: 'The service has no issued certificate yet (it is ordered or waiting for validation); `certbill service show` says what it waits for.',
  },
  LIFECYCLE_KEY_NOT_HELD: {
    kind: 'conflict',
    doc: 'PKCS#12 (and the key in the zip) needs the private key, and certbill does not hold it (the client sent a CSR); use the PEM or PKCS#7 formats with the client’s own key.',
  },
  LIFECYCLE_PASSWORD_REQUIRED: {
    kind: 'validation',
    doc: 'A PKCS#12 file (or a zip holding one) is protected by a password; give one with `--password` or `?password=` (at least 4 characters).',
  },
  LIFECYCLE_FORMAT_UNKNOWN: {
    kind: 'validation',
    doc: 'The download format is not one of pem, chain, fullchain, p7b, p12, zip.',
  },
  LIFECYCLE_NO_PENDING_VALIDATION: {
    kind: 'conflict',
    doc: 'The validation action needs a CA order waiting for domain validation, and the service has none (not placed yet, issued, or failed).',
  },
  LIFECYCLE_DCV_ACTION_INVALID: {
    kind: 'validation',
    doc: 'The validation action does not fit the order (e.g. --approver on an HTTP order, or no action given); the message says which actions apply.',
  },
  LIFECYCLE_CLIENT_DATA_REJECTED: {
    kind: 'validation',
    doc: 'The CA (or certbill’s own check) refused the order’s data: bad CSR, CN mismatch, weak key, invalid names. The service is failed with the reason and a task is open; the client must fix the data and order again.',
  },
  LIFECYCLE_NO_MODULE_AVAILABLE: {
    kind: 'unavailable',
    doc: 'No processing module of the tariff can take the order now (disabled, unreachable, login refused, below its minimal balance). The service waits in `ordered`, a task is open for the Department, and the order proceeds by itself once a module can take it.',
    retryable: true,
  },
  LIFECYCLE_ORDER_REJECTED: {
    kind: 'upstream',
    doc: 'The CA rejected or cancelled the order (validation refused, order cancelled); the service is failed and a task is open.',
  },
  LIFECYCLE_DCV_SWITCH_REFUSED: {
    kind: 'conflict',
    doc: 'The validation method can be switched only while the first certificate’s CA order waits for domain validation: not once the certificate is issued (an active service, or its reissue), and not while another switch of the same order is under way.',
  },
  LIFECYCLE_RETRY_REFUSED: {
    kind: 'conflict',
    doc: 'Only a failed service is ordered again (`POST /api/services/:id/retry`, the panel’s Retry); the service is in another state, or an order of it is already on its way.',
  },
  LIFECYCLE_GENERATION_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No certificate generation has this id (a job refers to a row that is gone).',
  },
} as const satisfies Record<string, ErrorEntry>;
