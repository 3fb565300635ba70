import type { ErrorEntry } from '../catalogue.ts';

export const GLOBALSIGN_ERRORS = {
  GLOBALSIGN_INVALID_INPUT: {
    kind: 'validation',
    doc: 'A value given to the GlobalSign client is missing or unusable (empty, control characters, not a date); nothing was sent. Fix the named field.',
  },
  GLOBALSIGN_REQUEST_DATA_REJECTED: {
    kind: 'validation',
    doc: 'GlobalSign refused the order data (CSR, names, key, parameters); the details name the field and GlobalSign codes. Correct the data and order again.',
  },
  GLOBALSIGN_LOGIN_FAILED: {
    kind: 'config',
    doc: 'GlobalSign rejected the API user name or password (-4001), or the account may not use the API. Check the module credentials and the Demo switch.',
  },
  GLOBALSIGN_IP_NOT_ALLOWED: {
    kind: 'config',
    doc: "GlobalSign does not accept API calls from this server's IP address (-4201). Ask GlobalSign support to allow-list the module's source IP.",
  },
  GLOBALSIGN_BALANCE_TOO_LOW: {
    kind: 'upstream',
    doc: 'The GlobalSign account balance does not cover the order (-6101, -9911, -9912). Top up the GlobalSign account, then place the order again.',
  },
  GLOBALSIGN_ORDER_STATE: {
    kind: 'conflict',
    doc: 'The order at GlobalSign is not in a state that allows this call (already placed, cancelled, modified, reissued, or verification failed). Look the order up before acting again.',
  },
  GLOBALSIGN_ORDER_NOT_FOUND: {
    kind: 'not_found',
    doc: 'GlobalSign does not know this order id (-9916, -4003). Check the stored CA order id.',
  },
  GLOBALSIGN_CA_FAILURE: {
    kind: 'unavailable',
    retryable: true,
    doc: 'GlobalSign reported an internal or database failure (-1, -201, -300, -9942, …). Retry later; for orders, look the order up first.',
  },
  GLOBALSIGN_REJECTED: {
    kind: 'upstream',
    doc: 'GlobalSign refused the call with a code certbill does not classify; the details hold the code and text. Read the module log, then contact GlobalSign if needed.',
  },
  GLOBALSIGN_SOAP_FAULT: {
    kind: 'upstream',
    doc: 'GlobalSign answered with a SOAP fault (HTTP 500); the details hold faultcode and faultstring. Usually a malformed request; report it with the module log.',
  },
  GLOBALSIGN_HTTP_STATUS: {
    kind: 'unavailable',
    retryable: true,
    doc: 'GlobalSign answered with an HTTP status other than 200 (for example 503 during maintenance). Retry later.',
  },
  GLOBALSIGN_BAD_RESPONSE: {
    kind: 'upstream',
    retryable: true,
    doc: 'The answer from GlobalSign was cut off, not XML, or lacks required elements. Retry; if it persists, check the base URL points at a GlobalSign API.',
  },
  GLOBALSIGN_TIMEOUT: {
    kind: 'unavailable',
    retryable: true,
    doc: 'No connection or no complete answer from GlobalSign within the configured timeout. Retry later; for orders, look the order up first.',
  },
  GLOBALSIGN_UNREACHABLE: {
    kind: 'unavailable',
    retryable: true,
    doc: "GlobalSign's host could not be reached: DNS failure, connection refused or reset. Check the base URL and this server's network access to port 443.",
  },
  GLOBALSIGN_TLS: {
    kind: 'unavailable',
    doc: "The TLS handshake with GlobalSign failed (certificate not trusted, protocol mismatch). Check the base URL and the server's CA certificates.",
  },
  GLOBALSIGN_SOURCE_ADDRESS: {
    kind: 'config',
    doc: "The module's source IP address cannot be used on this server (not assigned to an interface). Set the IP address field to one of the server's addresses.",
  },
} as const satisfies Record<string, ErrorEntry>;
