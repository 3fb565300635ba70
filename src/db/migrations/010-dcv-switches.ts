import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * Switching the validation method of a pending order, and per-module timeouts.
 *
 * `dcv_switches` records each switch of a service's pending CA order to another validation method
 * (or approver): the order it replaces, the method asked for, and how far the switch got. It is
 * written before the CA order is cancelled, so a switch interrupted by a crash is finished by its
 * job, and it stays as the service's history. `from_generation_id` is unique: one switch per order.
 *
 * `processing_modules.connect_timeout_s` / `read_timeout_s`: the module's own timeouts for calls to
 * the CA (null = the defaults, 10 s and 60 s). Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const modules = (await db.introspection.getTables()).find((table) => table.name === 'processing_modules');
  const has = (name: string) => modules?.columns.some((c) => c.name === name) ?? false;
  if (!has('connect_timeout_s')) {
    await db.schema.alterTable('processing_modules').addColumn('connect_timeout_s', 'integer').execute();
  }
  if (!has('read_timeout_s')) {
    await db.schema.alterTable('processing_modules').addColumn('read_timeout_s', 'integer').execute();
  }

  await db.schema
    .createTable('dcv_switches')
    .ifNotExists()
    .addColumn('id', t.idType, idConstraints(dialect))
    .addColumn('service_id', t.bigint, (c) => c.notNull().references('services.id'))
    .addColumn('from_generation_id', t.bigint, (c) => c.notNull().unique())
    .addColumn('from_ca_order_id', 'text', (c) => c.notNull())
    .addColumn('from_method', 'text')
    .addColumn('to_method', 'text', (c) => c.notNull())
    .addColumn('approver_email', 'text')
    .addColumn('to_generation_id', t.bigint)
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('requested_at', t.instant, (c) => c.notNull())
    .addColumn('finished_at', t.instant)
    .addCheckConstraint('dcv_switches_state', sql`state in ('requested', 'done', 'abandoned')`)
    .addCheckConstraint('dcv_switches_method', sql`to_method in ('email', 'http', 'dns')`)
    .execute();
  await db.schema
    .createIndex('dcv_switches_service')
    .ifNotExists()
    .on('dcv_switches')
    .column('service_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dcv_switches').ifExists().execute();
  await db.schema.alterTable('processing_modules').dropColumn('read_timeout_s').execute();
  await db.schema.alterTable('processing_modules').dropColumn('connect_timeout_s').execute();
}
