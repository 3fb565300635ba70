import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * Processing modules: one row per configured CA connection. Names are unique (several accounts of
 * one CA coexist under different names); `(enabled, sort)` serves module selection. Idempotent, so
 * a database that already has the table is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const id = idConstraints(dialect);

  await db.schema
    .createTable('processing_modules')
    .ifNotExists()
    .addColumn('id', t.idType, id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('product_type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_sealed', 'text', (c) => c.notNull())
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('url', 'text')
    .addColumn('source_address', 'text')
    .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('min_balance_minor', t.bigint)
    .addColumn('min_balance_currency', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('balance_minor', t.bigint)
    .addColumn('balance_currency', 'text')
    .addColumn('balance_read_at', t.instant)
    .addColumn('balance_below_minimum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_check_at', t.instant)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addCheckConstraint(
      'processing_modules_flags',
      sql`demo in (0, 1) and enabled in (0, 1) and balance_below_minimum in (0, 1)`,
    )
    .execute();
  await db.schema
    .createIndex('processing_modules_selection')
    .ifNotExists()
    .on('processing_modules')
    .columns(['enabled', 'sort', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('processing_modules').ifExists().execute();
}
