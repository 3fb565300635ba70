import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.ts';

export interface ScanDuePagesOptions {
  /** e.g. `certificate_generations` */
  readonly table: string;
  /** The instant column that says when a row is due, e.g. `reissue_at`. */
  readonly dueColumn: string;
  /** A unique integer column that breaks ties between equal instants (default `id`). */
  readonly idColumn?: string;
  /** Columns to read (default: all). The due and id columns are always read. */
  readonly columns?: readonly string[];
  /**
   * A fixed filter, written as SQL with literal values so the planner can match a partial index
   * with the same predicate, e.g. sql`superseded = 0`.
   */
  readonly where?: RawBuilder<unknown>;
  readonly now: Date;
  /** Rows per page (default 1000). */
  readonly pageSize?: number;
}

/**
 * Reads the rows due at `now` (`dueColumn <= now`) page by page, in `(dueColumn, id)` order, with
 * keyset pagination: each page is a range read that starts after the last row of the previous one,
 * so the cost follows the due set, not the table, and memory holds one page. Index the table on
 * `(dueColumn, id)` with the same filter as `where`.
 *
 * @example
 *   for await (const page of scanDuePages<{ id: number; service_id: number; reissue_at: string }>(db, {
 *     table: 'certificate_generations', dueColumn: 'reissue_at', where: sql`superseded = 0`,
 *     columns: ['id', 'service_id', 'reissue_at'], now: clock.now(), pageSize: 500,
 *   })) {
 *     for (const g of page) await enqueueJob(db, { kind: 'reissue', key: `reissue:${g.service_id}:${g.id}`, … });
 *   }
 */
export async function* scanDuePages<Row>(db: Database, opts: ScanDuePagesOptions): AsyncGenerator<Row[]> {
  const due = opts.dueColumn;
  const id = opts.idColumn ?? 'id';
  const pageSize = opts.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be ≥ 1; got ${pageSize}`);
  const columns = opts.columns
    ? sql.join([...new Set([...opts.columns, due, id])].map((c) => sql.ref(c)))
    : sql`*`;
  const filter = opts.where ? sql`(${opts.where}) and ` : sql``;
  const now = opts.now.toISOString();
  let after: { due: unknown; id: unknown } | undefined;
  for (;;) {
    const keyset = after ? sql` and (${sql.ref(due)}, ${sql.ref(id)}) > (${after.due}, ${after.id})` : sql``;
    const { rows } = await sql<Row>`select ${columns} from ${sql.table(opts.table)}
      where ${filter}${sql.ref(due)} <= ${now}${keyset}
      order by ${sql.ref(due)}, ${sql.ref(id)} limit ${pageSize}`.execute(db.kysely);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1] as Readonly<Record<string, unknown>>;
    after = { due: last[due], id: last[id] };
  }
}
