import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * Certificate generations and per-name validation records. `(service_id, seq)` and `ca_order_id`
 * are unique (the exactly-once guards); `reissue_at` is indexed so the scheduler's due scan is a
 * range read. Idempotent, so a database that already has the tables is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const id = idConstraints(dialect);

  await db.schema
    .createTable('certificate_generations')
    .ifNotExists()
    .addColumn('id', t.idType, id)
    .addColumn('service_id', t.bigint, (c) => c.notNull().references('services.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('module_id', t.bigint)
    .addColumn('ca_order_id', 'text', (c) => c.unique())
    .addColumn('reserved_order_id', 'text')
    .addColumn('place_started_at', t.instant)
    .addColumn('csr', 'text')
    .addColumn('private_key_sealed', 'text')
    .addColumn('dcv_method', 'text')
    .addColumn('approver_email', 'text')
    .addColumn('validation', t.json)
    .addColumn('hold_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('placed_at', t.instant)
    .addColumn('issued_at', t.instant)
    .addColumn('not_before', t.instant)
    .addColumn('not_after', t.instant)
    .addColumn('serial_number', 'text')
    .addColumn('reissue_at', t.instant)
    .addColumn('dcv_needed_from', t.instant)
    .addColumn('certificate_pem', 'text')
    .addColumn('chain_pems', t.json)
    .addColumn('root_pem', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addUniqueConstraint('certificate_generations_service_seq', ['service_id', 'seq'])
    .addCheckConstraint(
      'certificate_generations_state',
      sql`state in ('intent', 'ordered', 'awaiting_validation', 'issued', 'superseded', 'expired', 'failed')`,
    )
    .addCheckConstraint('certificate_generations_kind', sql`kind in ('new', 'reissue', 'renewal')`)
    .execute();
  await db.schema
    .createIndex('certificate_generations_reissue_at')
    .ifNotExists()
    .on('certificate_generations')
    .column('reissue_at')
    .where(sql.ref('reissue_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('certificate_generations_dcv_needed_from')
    .ifNotExists()
    .on('certificate_generations')
    .column('dcv_needed_from')
    .where(sql.ref('dcv_needed_from'), 'is not', null)
    .execute();

  await db.schema
    .createTable('name_validations')
    .ifNotExists()
    .addColumn('service_id', t.bigint, (c) => c.notNull().references('services.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('validated_at', t.instant, (c) => c.notNull())
    .addColumn('ca_order_id', 'text')
    .addPrimaryKeyConstraint('name_validations_pk', ['service_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('name_validations').ifExists().execute();
  await db.schema.dropTable('certificate_generations').ifExists().execute();
}
