import type { Clock } from '../src/core/clock.ts';
import type { CertificateAuthority } from './pki/certificate-authority.ts';
import type { ValidityMode } from './pki/certificate-validity.ts';
import type { StateStore } from './state/state-store.ts';

/** What every operation and control call works with. */
export interface SimulatorContext {
  store: StateStore;
  ca: CertificateAuthority;
  clock: Clock;
  settings: SimulatorSettings;
}

export interface SimulatorSettings {
  autoApprove: boolean;
  validity: ValidityMode;
  strict: boolean;
  revokeDelayMs: number;
  phishingKeywords: string[];
  utcOffset: string;
  wsdlDir: string;
}
