import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOfKysely, idConstraints } from '../column-types.ts';

/**
 * The durable job queue and the tasks people work on. `jobs.key` is unique, so enqueueing the same
 * work twice is a no-op; `(state, run_at)` makes the due scan a range read. `tasks.dedupe_key` is
 * unique among open tasks only, so a problem that comes back after its task was closed opens a new
 * one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const dialect = dialectOfKysely(db);
  const t = columnTypes(dialect);
  const id = idConstraints(dialect);

  await db.schema
    .createTable('jobs')
    .addColumn('id', t.idType, id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', t.instant, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', t.instant)
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .addColumn('done_at', t.instant)
    .addCheckConstraint('jobs_state', sql`state in ('ready', 'running', 'done', 'dead')`)
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at']).execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', t.idType, id)
    .addColumn('department_id', t.bigint)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('related', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('closed_at', t.instant)
    .addCheckConstraint('tasks_state', sql`state in ('open', 'closed')`)
    .execute();
  await db.schema
    .createIndex('tasks_open_dedupe')
    .on('tasks')
    .column('dedupe_key')
    .unique()
    .where(sql.ref('state'), '=', sql`'open'`)
    .execute();
  await db.schema.createIndex('tasks_state').on('tasks').columns(['state', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tasks').execute();
  await db.schema.dropTable('jobs').execute();
}
