import { sql, type Kysely } from 'kysely';

/**
 * Fresh validation ahead of a reissue: the early trigger is found like the reissue trigger, over a
 * partial index of the current certificates whose `dcv_needed_from` is set and whose trigger is
 * not handled yet, so the scan costs what is due; and the watch of reissues waiting at the CA reads
 * the few pending generations over a partial index of them. Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('certificate_generations_dcv_due')
    .ifNotExists()
    .on('certificate_generations')
    .columns(['dcv_needed_from', 'id'])
    .where(sql<boolean>`dcv_needed_from is not null and reissue_handled_at is null`)
    .execute();
  await db.schema
    .createIndex('certificate_generations_pending')
    .ifNotExists()
    .on('certificate_generations')
    .column('id')
    .where(sql<boolean>`state in ('ordered', 'awaiting_validation')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('certificate_generations_pending').ifExists().execute();
  await db.schema.dropIndex('certificate_generations_dcv_due').ifExists().execute();
}
