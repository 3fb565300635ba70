import type { Kysely } from 'kysely';

/**
 * The admin Services page reads a service's notifications and tasks: without these indexes each
 * page view would scan both tables, which grow with the number of services. Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('notifications_service')
    .ifNotExists()
    .on('notifications')
    .columns(['service_id', 'id'])
    .execute();
  await db.schema.createIndex('tasks_related').ifNotExists().on('tasks').columns(['related', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tasks_related').ifExists().execute();
  await db.schema.dropIndex('notifications_service').ifExists().execute();
}
