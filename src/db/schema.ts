import type { Generated } from 'kysely';

/**
 * Tables as the code sees them (snake_case columns, mapped to camelCase in each repository).
 * Instants are ISO 8601 UTC strings, money is integer minor units plus a currency column.
 */
export interface AppSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  app_settings: AppSettingsTable;
}

export type { Generated };
