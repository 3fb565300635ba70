import type { ColumnType, Generated } from 'kysely';
import type { JobsTables } from './schema-jobs.ts';
import type { ProvisioningTables } from './schema-provisioning.ts';
import type { LifecycleTables } from './schema-lifecycle.ts';
import type { SubscriptionTables } from './schema-subscriptions.ts';
import type { NotificationTables } from './schema-notifications.ts';
import type { UiTables } from './schema-ui.ts';

/** A json/jsonb column: written as JSON text, read as text on SQLite and parsed on PostgreSQL. */
export type JsonColumn = ColumnType<unknown, string, string>;

/**
 * Tables as the code sees them (snake_case columns, mapped to camelCase in each repository).
 * Instants are ISO 8601 UTC strings, money is integer minor units plus a currency column, flags are
 * 0/1 integers, JSON columns are written as JSON text.
 */
export interface AppSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface DepartmentsTable {
  id: Generated<number>;
  name: string;
  email: string | null;
  created_at: string;
}

export interface StaffUsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: string;
  department_id: number | null;
  created_at: string;
  /** argon2id PHC string; null = no panel login (migration 009). */
  password_hash: string | null;
  password_set_at: string | null;
}

export interface ClientsTable {
  id: Generated<number>;
  name: string;
  /** The language of the client's messages, `en` unless set (migration 008). */
  language: Generated<string>;
  created_at: string;
}

export interface ClientUsersTable {
  id: Generated<number>;
  client_id: number;
  email: string;
  name: string;
  created_at: string;
  /** argon2id PHC string; null = no panel login (migration 009). */
  password_hash: string | null;
  password_set_at: string | null;
}

export interface AccountsTable {
  id: Generated<number>;
  client_id: number;
  currency: string;
  balance_minor: Generated<number>;
  created_at: string;
}

export interface LedgerEntriesTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  amount_minor: number;
  currency: string;
  balance_after_minor: number;
  reference: string;
  service_id: number | null;
  note: string | null;
  created_at: string;
}

export interface ProductTypesTable {
  code: string;
  name: string;
  subscription_policy: string;
  subscription_before_days: number;
  updated_at: string | null;
}

export interface TariffsTable {
  id: Generated<number>;
  name: string;
  product_type: string;
  product: string;
  wildcard: number;
  currency: string;
  active: number;
  /** Bumped by every change to the tariff or its prices, addons and modules. */
  version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface TariffPricesTable {
  tariff_id: number;
  years: number;
  price_minor: number;
}

export interface TariffAddonsTable {
  tariff_id: number;
  kind: string;
  included_count: Generated<number>;
}

export interface TariffAddonPricesTable {
  tariff_id: number;
  kind: string;
  years: number;
  price_minor: number;
}

export interface TariffModulesTable {
  tariff_id: number;
  module_id: number;
  sort: number;
}

export interface ServicesTable {
  id: Generated<number>;
  client_id: number;
  account_id: number;
  tariff_id: number;
  product_type: string;
  product: string;
  wildcard: number;
  kind: string;
  previous_service_id: number | null;
  status: string;
  period_years: number;
  common_name: string;
  /** The SANs in order: `[{"name","addon","sanOptionType"}]`. */
  names: JsonColumn;
  currency: string;
  price_total_minor: number;
  /** The quote's price lines; written as JSON text, read back as text (SQLite) or parsed (PostgreSQL). */
  price_lines: JsonColumn;
  csr: string | null;
  generate_key: number;
  dcv_method: string | null;
  dcv_email: string | null;
  /** 0 when the client chose "Do not save the key" (migration 007). */
  save_key: Generated<number>;
  /** OV/EV organization data as JSON (`OrganizationDetails`); null for DV (migration 007). */
  organization: ColumnType<unknown, string | null | undefined, string | null>;
  first_issued_at: string | null;
  paid_until: string | null;
  cancelled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface IdempotencyKeysTable {
  operation: string;
  owner: string;
  key: string;
  request_hash: string;
  /** The first result, written in the transaction that produced it. */
  response: ColumnType<unknown, string | null, string | null>;
  created_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  token_hash: string;
  scope: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface Database
  extends JobsTables, ProvisioningTables, LifecycleTables, SubscriptionTables, NotificationTables, UiTables {
  app_settings: AppSettingsTable;
  departments: DepartmentsTable;
  staff_users: StaffUsersTable;
  clients: ClientsTable;
  client_users: ClientUsersTable;
  accounts: AccountsTable;
  ledger_entries: LedgerEntriesTable;
  product_types: ProductTypesTable;
  tariffs: TariffsTable;
  tariff_prices: TariffPricesTable;
  tariff_addons: TariffAddonsTable;
  tariff_addon_prices: TariffAddonPricesTable;
  tariff_modules: TariffModulesTable;
  services: ServicesTable;
  idempotency_keys: IdempotencyKeysTable;
  api_tokens: ApiTokensTable;
}

export type { Generated };
