import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.ts';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * Clients, accounts and their ledger, the certificate catalogue (product type, tariffs, addons,
 * processing-module links), services, idempotency keys and API tokens.
 *
 * The exactly-once work is done by unique constraints: `ledger_entries.reference`
 * (`charge:service:<id>`, `refund:service:<id>`), `idempotency_keys (operation, owner, key)` and
 * `services.previous_service_id` (one renewal per service).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const withId = (name: string) => addId(db.schema.createTable(name), dialect);

  await withId('departments')
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await withId('staff_users')
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await withId('clients')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await withId('client_users')
    .addColumn('client_id', t.bigint, (c) => c.notNull().references('clients.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('client_users_client').on('client_users').column('client_id').execute();

  await withId('accounts')
    .addColumn('client_id', t.bigint, (c) => c.notNull().unique().references('clients.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_minor', t.bigint, (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`balance_minor >= 0`),
    )
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();

  await withId('ledger_entries')
    .addColumn('account_id', t.bigint, (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_minor', t.bigint, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('balance_after_minor', t.bigint, (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('service_id', t.bigint)
    .addColumn('note', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_entries_account')
    .on('ledger_entries')
    .columns(['account_id', 'id'])
    .execute();

  await db.schema
    .createTable('product_types')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subscription_policy', 'text', (c) => c.notNull())
    .addColumn('subscription_before_days', 'integer', (c) => c.notNull())
    .addColumn('updated_at', t.instant)
    .execute();
  await db
    .insertInto('product_types' as never)
    .values({
      code: 'ssl',
      name: 'SSL certificates',
      subscription_policy: 'auto',
      subscription_before_days: 10,
    } as never)
    .execute();

  await withId('tariffs')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('product_type', 'text', (c) => c.notNull().references('product_types.code'))
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('wildcard', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tariff_prices')
    .addColumn('tariff_id', t.bigint, (c) => c.notNull().references('tariffs.id'))
    .addColumn('years', 'integer', (c) => c.notNull())
    .addColumn('price_minor', t.bigint, (c) => c.notNull().check(sql`price_minor >= 0`))
    .addPrimaryKeyConstraint('tariff_prices_pk', ['tariff_id', 'years'])
    .execute();

  await db.schema
    .createTable('tariff_addons')
    .addColumn('tariff_id', t.bigint, (c) => c.notNull().references('tariffs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('included_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('tariff_addons_pk', ['tariff_id', 'kind'])
    .execute();

  await db.schema
    .createTable('tariff_addon_prices')
    .addColumn('tariff_id', t.bigint, (c) => c.notNull().references('tariffs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('years', 'integer', (c) => c.notNull())
    .addColumn('price_minor', t.bigint, (c) => c.notNull().check(sql`price_minor >= 0`))
    .addPrimaryKeyConstraint('tariff_addon_prices_pk', ['tariff_id', 'kind', 'years'])
    .execute();

  // No foreign key on module_id: processing modules get their own table with the provisioning work.
  await db.schema
    .createTable('tariff_modules')
    .addColumn('tariff_id', t.bigint, (c) => c.notNull().references('tariffs.id'))
    .addColumn('module_id', t.bigint, (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tariff_modules_pk', ['tariff_id', 'module_id'])
    .execute();

  await withId('services')
    .addColumn('client_id', t.bigint, (c) => c.notNull().references('clients.id'))
    .addColumn('account_id', t.bigint, (c) => c.notNull().references('accounts.id'))
    .addColumn('tariff_id', t.bigint, (c) => c.notNull().references('tariffs.id'))
    .addColumn('product_type', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull())
    .addColumn('wildcard', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('previous_service_id', t.bigint, (c) => c.unique().references('services.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('period_years', 'integer', (c) => c.notNull())
    .addColumn('common_name', 'text', (c) => c.notNull())
    .addColumn('names', t.json, (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('price_total_minor', t.bigint, (c) => c.notNull())
    .addColumn('price_lines', t.json, (c) => c.notNull())
    .addColumn('csr', 'text')
    .addColumn('generate_key', 'integer', (c) => c.notNull())
    .addColumn('dcv_method', 'text')
    .addColumn('dcv_email', 'text')
    .addColumn('first_issued_at', t.instant)
    .addColumn('paid_until', t.instant)
    .addColumn('cancelled_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('services_client').on('services').columns(['client_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', t.json)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['operation', 'owner', 'key'])
    .execute();

  await withId('api_tokens')
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'api_tokens',
    'idempotency_keys',
    'services',
    'tariff_modules',
    'tariff_addon_prices',
    'tariff_addons',
    'tariff_prices',
    'tariffs',
    'product_types',
    'ledger_entries',
    'accounts',
    'client_users',
    'clients',
    'staff_users',
    'departments',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

/** `id` as SQLite's `integer primary key autoincrement` or PostgreSQL's `bigserial primary key`. */
function addId<N extends string>(table: CreateTableBuilder<N, never>, dialect: Dialect) {
  const t = columnTypes(dialect);
  return table.addColumn('id', t.idType, idConstraints(dialect));
}
