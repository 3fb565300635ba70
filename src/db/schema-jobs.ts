import type { ColumnType, Generated } from 'kysely';

/** A json/jsonb column: written as JSON text, read as text on SQLite and parsed on PostgreSQL. */
type JsonText = ColumnType<unknown, string, string>;

/**
 * Durable work: one row per job, deduplicated by `key` (e.g. `reissue:12:3`). A row is claimable
 * when it is `ready` or `running` with `run_at <= now` and no live lease (`lease_until` null or in
 * the past), which is how a killed instance's work is taken over.
 */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  key: string;
  payload: JsonText;
  /** `ready` | `running` | `done` | `dead` */
  state: string;
  run_at: string;
  /** Claims so far; it also fences completion (a stale worker's `attempts` no longer matches). */
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
}

/** Work for people (e.g. a job that died), deduplicated among open tasks by `dedupe_key`. */
export interface TasksTable {
  id: Generated<number>;
  department_id: number | null;
  kind: string;
  title: string;
  body: string;
  /** What the task is about, e.g. `service:12` or `job:5`. */
  related: string | null;
  dedupe_key: string;
  /** `open` | `closed` */
  state: string;
  created_at: string;
  closed_at: string | null;
}

export interface JobsTables {
  jobs: JobsTable;
  tasks: TasksTable;
}
