import { AppError } from '../core/errors/index.ts';
import type { ProviderError } from './provider-error.ts';

/** The seed's three things to look at when the connection check fails, in order. */
export const CONNECTION_HINTS = [
  'make sure the connection parameters are correct',
  'check that the URL of the Certification Authority is reachable from this server',
  "make sure API calls from this server's IP address are allowed in the Certification Authority client area",
] as const;

export const CONNECTION_FAILURE_TITLE = 'Cannot connect to the processing module';

/** What the check found, named for the admin. */
export type ConnectionCauseKind =
  | 'login-refused'
  | 'ip-not-allowed'
  | 'timeout'
  | 'dns'
  | 'tls'
  | 'connection-refused'
  | 'connection-reset'
  | 'source-address'
  | 'network'
  | 'http-status'
  | 'bad-answer'
  | 'soap-fault'
  | 'ca-error';

export interface ConnectionCause {
  readonly kind: ConnectionCauseKind;
  /** One sentence for the admin. */
  readonly summary: string;
  /** What the module reported, word for word. */
  readonly message: string;
  /** The CA's own codes, e.g. `['-4001']`. */
  readonly caCodes: readonly string[];
}

const SUMMARIES: Readonly<Record<ConnectionCauseKind, string>> = {
  'login-refused':
    'the Certification Authority refused the login: wrong username or password, or Demo points at the other system',
  'ip-not-allowed': "the Certification Authority does not accept API calls from this server's IP address",
  timeout: 'the Certification Authority did not answer within the timeout',
  dns: "the Certification Authority's host name cannot be resolved (DNS)",
  tls: 'the TLS handshake with the Certification Authority failed',
  'connection-refused': "the Certification Authority's host refused the connection",
  'connection-reset': 'the connection to the Certification Authority was reset',
  'source-address': 'the IP address chosen for the module cannot be used on this server',
  network: 'the network to the Certification Authority failed',
  'http-status': 'the Certification Authority answered with an HTTP error',
  'bad-answer': 'the answer of the Certification Authority cannot be read (is the URL its API?)',
  'soap-fault': 'the Certification Authority answered with a SOAP fault',
  'ca-error': 'the Certification Authority reported an error',
};

function causeKindOf(e: ProviderError): ConnectionCauseKind {
  if (e.party === 'credentials') return 'login-refused';
  if (e.party === 'source-ip') return 'ip-not-allowed';
  switch (e.transportCause) {
    case undefined:
      return 'ca-error';
    case 'bad-response':
      return 'bad-answer';
    default:
      return e.transportCause;
  }
}

/**
 * The error of a failed connection check: "Cannot connect to the processing module", the three
 * hints, then the cause found, one per line; `details` holds `{ cause, hints }` for the API.
 *
 * @example
 *   connectionFailure(loginRefused).message;
 *   // 'Cannot connect to the processing module\n- make sure the connection parameters are correct;\n- …\nCause: the Certification Authority refused the login: … (-4001)'
 */
export function connectionFailure(e: ProviderError): AppError {
  const kind = causeKindOf(e);
  const codes = e.caCodes.length ? ` (${e.caCodes.join(', ')})` : '';
  const cause: ConnectionCause = { kind, summary: SUMMARIES[kind], message: e.message, caCodes: e.caCodes };
  const lines = [
    CONNECTION_FAILURE_TITLE,
    ...CONNECTION_HINTS.map((h, i) => `- ${h}${i === CONNECTION_HINTS.length - 1 ? '.' : ';'}`),
    `Cause: ${cause.summary}${codes}.`,
  ];
  return new AppError(
    'PROVISIONING_CONNECTION_FAILED',
    lines.join('\n'),
    { cause, hints: [...CONNECTION_HINTS] },
    { cause: e },
  );
}
