import type { Generated } from 'kysely';

/**
 * One configured connection to a CA (a processing module). The password is sealed with the secret
 * box under the AAD `processing_modules.password:<id>`; the balance columns hold the last reading
 * of the CA account, and `balance_below_minimum` the state the low-balance signal crosses from.
 */
export interface ProcessingModulesTable {
  id: Generated<number>;
  /** The registry kind, e.g. `globalsign`. */
  kind: string;
  /** `ssl` */
  product_type: string;
  name: string;
  username: string;
  password_sealed: string;
  demo: number;
  /** Overrides where the CA's API is (otherwise Demo decides). */
  url: string | null;
  source_address: string | null;
  department_id: number | null;
  sort: number;
  /** In the CA account's currency; null = no minimum. */
  min_balance_minor: number | null;
  min_balance_currency: string | null;
  enabled: number;
  balance_minor: number | null;
  balance_currency: string | null;
  balance_read_at: string | null;
  balance_below_minimum: number;
  last_check_at: string | null;
  /** Seconds to connect to the CA; null = the default, 10 (migration 010). */
  connect_timeout_s: number | null;
  /** Seconds to wait for the CA's whole answer; null = the default, 60 (migration 010). */
  read_timeout_s: number | null;
  created_at: string;
  updated_at: string;
}

export interface ProvisioningTables {
  processing_modules: ProcessingModulesTable;
}
