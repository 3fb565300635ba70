import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * The web panel: password hashes for staff and client users (null = no login), panel sessions
 * (only a SHA-256 of the cookie token is stored), the failed-login counters the rate limit reads,
 * and the indexes the admin Dashboard counts through (services by state, generations awaiting
 * validation). Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const tables = await db.introspection.getTables();
  const has = (table: string, column: string) =>
    tables.find((x) => x.name === table)?.columns.some((c) => c.name === column) ?? false;
  for (const table of ['staff_users', 'client_users']) {
    if (!has(table, 'password_hash')) {
      await db.schema.alterTable(table).addColumn('password_hash', 'text').execute();
    }
    if (!has(table, 'password_set_at')) {
      await db.schema.alterTable(table).addColumn('password_set_at', t.instant).execute();
    }
  }

  await db.schema
    .createTable('web_sessions')
    .ifNotExists()
    .addColumn('id', t.idType, idConstraints(dialect))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_kind', 'text', (c) => c.notNull().check(sqlIn('user_kind', ['staff', 'client'])))
    .addColumn('user_id', t.bigint, (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('flash', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('last_seen_at', t.instant, (c) => c.notNull())
    .addColumn('idle_expires_at', t.instant, (c) => c.notNull())
    .addColumn('expires_at', t.instant, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('web_sessions_user')
    .ifNotExists()
    .on('web_sessions')
    .columns(['user_kind', 'user_id'])
    .execute();
  await db.schema
    .createIndex('web_sessions_expires')
    .ifNotExists()
    .on('web_sessions')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('login_throttle')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_started_at', t.instant, (c) => c.notNull())
    .addColumn('locked_until', t.instant)
    .execute();

  await db.schema
    .createIndex('services_status')
    .ifNotExists()
    .on('services')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('certificate_generations_state')
    .ifNotExists()
    .on('certificate_generations')
    .columns(['state', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('certificate_generations_state').ifExists().execute();
  await db.schema.dropIndex('services_status').ifExists().execute();
  await db.schema.dropTable('login_throttle').ifExists().execute();
  await db.schema.dropTable('web_sessions').ifExists().execute();
  for (const table of ['client_users', 'staff_users']) {
    await db.schema.alterTable(table).dropColumn('password_set_at').execute();
    await db.schema.alterTable(table).dropColumn('password_hash').execute();
  }
}

function sqlIn(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
