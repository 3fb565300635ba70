import { sql, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { JobsTables, TasksTable } from '../db/schema-jobs.ts';
import { jobsKysely } from './jobs-kysely.ts';
import { createJobsError } from './jobs-error.ts';

export const TASK_STATES = ['open', 'closed'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Something a person must look at, e.g. a job that died or a service that needs a decision. */
export interface Task {
  readonly id: number;
  readonly departmentId: number | null;
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly related: string | null;
  readonly dedupeKey: string;
  readonly state: TaskState;
  readonly createdAt: string;
  readonly closedAt: string | null;
}

export interface OpenTaskInput {
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  /** What the task is about, e.g. `service:12`, `job:5`. */
  readonly related?: string | null;
  /** Names the problem: while a task with this key is open, opening it again returns that task. */
  readonly dedupeKey: string;
  readonly departmentId?: number | null;
  readonly now: Date;
}

/**
 * Opens a task for people unless an open task has the same `dedupeKey`, and returns the open task.
 * Pass the caller's transaction to open it together with the change that caused it.
 *
 * @example
 *   await openTask(db, { kind: 'dcv-needed', title: 'example.com needs validation', body: '…',
 *     related: 'service:12', dedupeKey: 'dcv-needed:service:12', departmentId: 2, now: clock.now() });
 *   // → { id: 3, state: 'open', related: 'service:12', … } (the same task on a second call)
 */
export async function openTask<DB = JobsTables>(
  db: Database,
  input: OpenTaskInput,
  trx?: Transaction<DB>,
): Promise<Task> {
  const k = trx ? jobsKysely(trx) : jobsKysely(db.kysely);
  const inserted = await k
    .insertInto('tasks')
    .values({
      department_id: input.departmentId ?? null,
      kind: input.kind,
      title: input.title,
      body: input.body,
      related: input.related ?? null,
      dedupe_key: input.dedupeKey,
      state: 'open',
      created_at: input.now.toISOString(),
    })
    // The arbiter is the partial unique index on open tasks; its predicate must be a literal to match.
    .onConflict((oc) =>
      oc
        .column('dedupe_key')
        .where(sql<boolean>`state = 'open'`)
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (inserted) return toTask(inserted);
  const open = await k
    .selectFrom('tasks')
    .selectAll()
    .where('dedupe_key', '=', input.dedupeKey)
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  return toTask(open);
}

/** Tasks newest first, e.g. `listTasks(db, { state: 'open', related: 'job:5' })`. */
export async function listTasks(
  db: Database,
  filter: {
    state?: TaskState;
    /** A Department's tasks; `null`: the tasks of no Department. */
    departmentId?: number | null;
    related?: string;
    limit?: number;
    /** Only tasks older than this id (the next page of a newest-first list). */
    beforeId?: number;
  } = {},
): Promise<Task[]> {
  const rows = await jobsKysely(db.kysely)
    .selectFrom('tasks')
    .selectAll()
    .$if(filter.state !== undefined, (qb) => qb.where('state', '=', filter.state ?? 'open'))
    .$if(filter.departmentId !== undefined, (qb) =>
      filter.departmentId === null
        ? qb.where('department_id', 'is', null)
        : qb.where('department_id', '=', filter.departmentId ?? 0),
    )
    .$if(filter.related !== undefined, (qb) => qb.where('related', '=', filter.related ?? ''))
    .$if(filter.beforeId !== undefined, (qb) => qb.where('id', '<', filter.beforeId ?? 0))
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map(toTask);
}

/**
 * How many tasks in `state` each Department has (`departmentId` null: tasks of no Department).
 * @example await countTasksByDepartment(db, 'open') → [{ departmentId: 2, count: 3 }, { departmentId: null, count: 1 }]
 */
export async function countTasksByDepartment(
  db: Database,
  state: TaskState,
): Promise<{ departmentId: number | null; count: number }[]> {
  const rows = await jobsKysely(db.kysely)
    .selectFrom('tasks')
    .select(['department_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('state', '=', state)
    .groupBy('department_id')
    .execute();
  return rows.map((r) => ({
    departmentId: r.department_id === null ? null : Number(r.department_id),
    count: Number(r.n),
  }));
}

/** One task by id, or JOBS_TASK_NOT_FOUND. */
export async function getTask(db: Database, id: number): Promise<Task> {
  const row = await jobsKysely(db.kysely)
    .selectFrom('tasks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw taskNotFound(id);
  return toTask(row);
}

/** Closes a task (closing a closed task changes nothing) and returns it. */
export async function closeTask(db: Database, id: number, at: { now: Date }): Promise<Task> {
  const k = jobsKysely(db.kysely);
  await k
    .updateTable('tasks')
    .set({ state: 'closed', closed_at: at.now.toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .execute();
  const row = await k.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw taskNotFound(id);
  return toTask(row);
}

function taskNotFound(id: number) {
  return createJobsError('JOBS_TASK_NOT_FOUND', `No task has id ${id}; certbill task list shows the tasks.`, {
    id,
  });
}

function toTask(row: Selectable<TasksTable>): Task {
  return {
    id: Number(row.id),
    departmentId: row.department_id === null ? null : Number(row.department_id),
    kind: row.kind,
    title: row.title,
    body: row.body,
    related: row.related,
    dedupeKey: row.dedupe_key,
    state: row.state as TaskState,
    createdAt: row.created_at,
    closedAt: row.closed_at,
  };
}
