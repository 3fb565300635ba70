import type { ErrorEntry } from '../catalogue.ts';

export const PROVISIONING_ERRORS = {
  PROVISIONING_CONNECTION_FAILED: {
    kind: 'upstream',
    doc: 'Cannot connect to the processing module: the connection check with the given settings failed. The details hold the cause found (login refused, IP not allowed, timeout, DNS, TLS, connection refused) and three hints; nothing was saved.',
  },
  PROVISIONING_INVALID_SETTINGS: {
    kind: 'validation',
    doc: 'A processing module field is missing or unusable (name, username, password, IP address, URL, sort, minimal balance); the message names the field and what is allowed.',
  },
  PROVISIONING_MODULE_KIND_UNKNOWN: {
    kind: 'validation',
    doc: 'No processing module of this kind is installed; the message lists the kinds there are (e.g. globalsign).',
  },
  PROVISIONING_MODULE_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No processing module has this id; list the modules with `certbill module list`.',
  },
  PROVISIONING_MODULE_NAME_TAKEN: {
    kind: 'conflict',
    doc: 'Another processing module has this name; pick another name (several modules of one CA may coexist under different names).',
  },
  PROVISIONING_DEPARTMENT_NOT_FOUND: {
    kind: 'validation',
    doc: 'The department given for the processing module does not exist; create it first or pick an existing one.',
  },
  PROVISIONING_FEATURE_UNSUPPORTED: {
    kind: 'validation',
    doc: 'The processing module does not support what was asked (for example switching the validation method of a placed GlobalSign order); the message gives the reason and what to do instead.',
  },
  PROVISIONING_INVALID_ORDER: {
    kind: 'validation',
    doc: 'The order handed to the processing module lacks data its product needs (contact, organization for OV/EV, EV parties, months); the message names the field.',
  },
  PROVISIONING_CSR_UNREADABLE: {
    kind: 'validation',
    doc: 'The CSR is not a PEM PKCS#10 request (-----BEGIN CERTIFICATE REQUEST-----) or cannot be decoded; paste the whole request.',
  },
  PROVISIONING_CSR_BAD_SIGNATURE: {
    kind: 'validation',
    doc: "The CSR's signature does not verify with its own public key; generate the request again.",
  },
  PROVISIONING_CSR_CN_MISMATCH: {
    kind: 'validation',
    doc: "The CSR's common name differs from the order's domain; make a CSR for the ordered name or let certbill generate one.",
  },
  PROVISIONING_CSR_WEAK_KEY: {
    kind: 'validation',
    doc: 'The CSR key is not accepted: RSA keys need at least 2048 bits, EC keys must be on P-256 or P-384, other algorithms are refused.',
  },
  PROVISIONING_KEY_OPTIONS_INVALID: {
    kind: 'validation',
    doc: 'The key generation options are unusable (algorithm other than ecdsa-p256, ecdsa-p384, rsa-2048, rsa-3072, rsa-4096, or no common name).',
  },
  PROVISIONING_CA_REJECTED_DATA: {
    kind: 'validation',
    doc: "The CA refused the order data (CSR, key, names, parameters); the details keep the CA's own codes. Correct the data and order again.",
  },
  PROVISIONING_CA_LOGIN_FAILED: {
    kind: 'config',
    doc: "The CA refused the module's API username or password; check the module's integration settings and the Demo switch.",
  },
  PROVISIONING_CA_IP_NOT_ALLOWED: {
    kind: 'config',
    doc: "The CA does not accept API calls from this server's IP address; allow it in the CA's client area or pick another IP address for the module.",
  },
  PROVISIONING_CA_BALANCE_TOO_LOW: {
    kind: 'upstream',
    doc: "The CA account's balance does not cover the order; top up the account at the CA, then the order can go on.",
  },
  PROVISIONING_CA_ORDER_STATE: {
    kind: 'conflict',
    doc: 'The CA order is not in a state that allows this call (already cancelled, modified, reissued); look the order up before acting again.',
  },
  PROVISIONING_CA_ORDER_NOT_FOUND: {
    kind: 'not_found',
    doc: 'The CA does not know this order id; check the stored CA order id.',
  },
  PROVISIONING_CA_FAILURE: {
    kind: 'unavailable',
    retryable: true,
    doc: 'The CA reported an internal failure, answered HTTP 5xx or a server SOAP fault; retry later, and for orders look the order up first.',
  },
  PROVISIONING_CA_REJECTED: {
    kind: 'upstream',
    doc: 'The CA refused the call with a code certbill does not classify, or answered a client SOAP fault; the details keep the code and text. Read the module log.',
  },
  PROVISIONING_CA_TIMEOUT: {
    kind: 'unavailable',
    retryable: true,
    doc: 'The CA did not answer within the timeout; retry later, and for orders look the order up first.',
  },
  PROVISIONING_CA_UNREACHABLE: {
    kind: 'unavailable',
    retryable: true,
    doc: "The CA's host could not be reached (DNS, TLS, connection refused or reset, unusable source IP); check the module URL and this server's network.",
  },
  PROVISIONING_CA_BAD_ANSWER: {
    kind: 'upstream',
    retryable: true,
    doc: 'The answer from the CA was cut off, unreadable, or lacked what the call needs (e.g. an issued order without its certificate); retry, then read the module log.',
  },
} as const satisfies Record<string, ErrorEntry>;
