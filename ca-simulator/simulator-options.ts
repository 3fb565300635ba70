import type { Clock } from '../src/core/clock.ts';
import type { ValidityMode } from './pki/certificate-validity.ts';

/**
 * How to run a simulator. Only `user` and `password` are required.
 *
 * @example
 *   await startSimulator({ port: 0, user: 'PAR12345_api', password: 'secret', autoApprove: true });
 */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. Default 8443. */
  port?: number;
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** The account created on first start (or updated to these credentials). */
  user: string;
  password: string;
  /** Initial balance as a decimal string; applied when the account is created. Default "1000.00". */
  balance?: string;
  /** Account currency (ISO 4217). Default USD. */
  currency?: string;
  /** Source addresses or CIDR ranges allowed to call the API; empty = any. */
  allowIps?: string[];
  /** JSON file the state is kept in; in memory when absent. */
  stateFile?: string;
  /** Approve email orders at once, pass every HTTP/DNS check and release phishing holds. */
  autoApprove?: boolean;
  /** `cap` (default): notAfter = notBefore + max days − 1 s; `globalsign`: one day less. */
  validity?: ValidityMode;
  /** Validate every request wrapper against the XSD (xmllint) and answer a SOAP fault if invalid. */
  strict?: boolean;
  /** Serve `/_control/*`. Default true. */
  control?: boolean;
  /** The simulator's time; default an OffsetClock over system time (movable via /_control/clock). */
  clock?: Clock;
  /** How long a revocation stays at status 6 before it turns 7. Default 60 000 ms. */
  revokeDelayMs?: number;
  /** Names containing one of these are held for phishing review (status 2, -5001). */
  phishingKeywords?: string[];
  /** Numeric UTC offset of timestamps in responses. Default "+00:00". */
  utcOffset?: string;
  /** Directory of the WSDLs and XSDs served and used by `strict`. Default ca-simulator/wsdl. */
  wsdlDir?: string;
}

export const DEFAULT_PHISHING_KEYWORDS = [
  'paypal',
  'bank-login',
  'apple-id',
  'secure-login',
  'verify-account',
];
