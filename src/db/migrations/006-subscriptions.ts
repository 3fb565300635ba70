import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely } from '../column-types.ts';

/**
 * The reissue policy's bookkeeping: on each certificate generation, when and how its trigger was
 * handled, with the due-scan index restricted to unhandled triggers; and the notifications table
 * (recorded once per generation and template, sent later). Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const id = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();

  const existing = await db.introspection.getTables();
  const generations = existing.find((table) => table.name === 'certificate_generations');
  const has = (name: string) => generations?.columns.some((c) => c.name === name) ?? false;
  if (!has('reissue_handled_at')) {
    await db.schema
      .alterTable('certificate_generations')
      .addColumn('reissue_handled_at', t.instant)
      .execute();
  }
  if (!has('reissue_handled_as')) {
    await db.schema.alterTable('certificate_generations').addColumn('reissue_handled_as', 'text').execute();
  }
  await db.schema
    .createIndex('certificate_generations_reissue_due')
    .ifNotExists()
    .on('certificate_generations')
    .columns(['reissue_at', 'id'])
    .where(sql<boolean>`reissue_at is not null and reissue_handled_at is null`)
    .execute();

  await db.schema
    .createTable('notifications')
    .ifNotExists()
    .addColumn('id', t.idType, id)
    .addColumn('client_id', t.bigint, (c) => c.notNull().references('clients.id'))
    .addColumn('service_id', t.bigint)
    .addColumn('generation_id', t.bigint)
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text')
    .addColumn('variables', t.json, (c) => c.notNull())
    .addColumn('action_needed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('sent_at', t.instant)
    .execute();
  await db.schema
    .createIndex('notifications_unsent')
    .ifNotExists()
    .on('notifications')
    .columns(['created_at', 'id'])
    .where(sql.ref('sent_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').ifExists().execute();
  await db.schema.dropIndex('certificate_generations_reissue_due').ifExists().execute();
  await db.schema.alterTable('certificate_generations').dropColumn('reissue_handled_as').execute();
  await db.schema.alterTable('certificate_generations').dropColumn('reissue_handled_at').execute();
}
