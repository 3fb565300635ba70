import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * Notifications to Departments as well as clients (`notifications.client_id` becomes nullable,
 * `department_id` is added, exactly one of them is set), the client's language
 * (`clients.language`, default `en`), the admin's message templates and the durable mail outbox.
 * SQLite cannot drop a NOT NULL constraint, so there `notifications` is rebuilt and its rows
 * copied; PostgreSQL alters the column in place. Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const tables = await db.introspection.getTables();
  const columnsOf = (name: string) => tables.find((table) => table.name === name)?.columns ?? [];

  if (!columnsOf('clients').some((c) => c.name === 'language')) {
    await db.schema
      .alterTable('clients')
      .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
      .execute();
  }

  if (!columnsOf('notifications').some((c) => c.name === 'department_id')) {
    if (dialect === 'postgres') {
      await sql`alter table notifications alter column client_id drop not null`.execute(db);
      await db.schema
        .alterTable('notifications')
        .addColumn('department_id', t.bigint, (c) => c.references('departments.id'))
        .execute();
      await sql`alter table notifications add constraint notifications_one_recipient
        check ((client_id is null) <> (department_id is null))`.execute(db);
    } else {
      await rebuildSqliteNotifications(db);
    }
  }

  await db.schema
    .createTable('message_templates')
    .ifNotExists()
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addPrimaryKeyConstraint('message_templates_pk', ['template', 'language'])
    .execute();

  await db.schema
    .createTable('mail_outbox')
    .ifNotExists()
    .addColumn('id', t.idType, idConstraints(dialect))
    .addColumn('notification_id', t.bigint, (c) => c.unique().references('notifications.id'))
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql<boolean>`state in ('queued', 'failed', 'sent', 'dead')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.instant, (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('sent_at', t.instant)
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('mail_outbox_due')
    .ifNotExists()
    .on('mail_outbox')
    .columns(['next_attempt_at', 'id'])
    .where(sql<boolean>`state in ('queued', 'failed')`)
    .execute();
}

/** SQLite's documented way to change a column's constraints: new table, copy, drop, rename. */
async function rebuildSqliteNotifications(db: Kysely<unknown>): Promise<void> {
  await sql`create table notifications_008 (
    id integer primary key autoincrement,
    client_id integer references clients(id),
    department_id integer references departments(id),
    service_id integer,
    generation_id integer,
    template text not null,
    recipient_email text,
    variables text not null,
    action_needed integer not null default 0,
    dedupe_key text not null unique,
    created_at text not null,
    sent_at text,
    check ((client_id is null) <> (department_id is null))
  )`.execute(db);
  await sql`insert into notifications_008 (id, client_id, department_id, service_id, generation_id,
      template, recipient_email, variables, action_needed, dedupe_key, created_at, sent_at)
    select id, client_id, null, service_id, generation_id, template, recipient_email, variables,
      action_needed, dedupe_key, created_at, sent_at
    from notifications`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`alter table notifications_008 rename to notifications`.execute(db);
  await db.schema
    .createIndex('notifications_unsent')
    .ifNotExists()
    .on('notifications')
    .columns(['created_at', 'id'])
    .where(sql.ref('sent_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('mail_outbox').ifExists().execute();
  await db.schema.dropTable('message_templates').ifExists().execute();
  await sql`delete from notifications where client_id is null`.execute(db);
  // SQLite cannot drop a column its CHECK names; there the nullable column stays, unused.
  if (dialectOfKysely(db) === 'postgres') {
    await db.schema.alterTable('notifications').dropColumn('department_id').execute();
  }
  await db.schema.alterTable('clients').dropColumn('language').execute();
}
