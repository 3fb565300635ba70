import type { AppContext } from '../app-context.ts';
import type { ProvisioningGateway } from './provisioning-gateway.ts';

/**
 * What the billing use cases need from the application: the database and the clock, and where paid
 * services are handed over (the pending gateway when none is given).
 */
export type BillingContext = Pick<AppContext, 'db' | 'clock'> & {
  readonly provisioning?: ProvisioningGateway;
};
