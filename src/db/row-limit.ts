import { sql, type RawBuilder } from 'kysely';

/**
 * A LIMIT written into the SQL text instead of bound as a parameter, for the panel's hot reads.
 * PostgreSQL keeps one generic plan for a prepared statement only when it costs about what a plan
 * for the actual values would; with the limit as a parameter it cannot know the page is 51 rows,
 * so it planned the statement anew on every call (see pg-statements.ts). Page sizes are constants
 * of the code, so each gives one statement text.
 * @example query.limit(rowLimit(SERVICES_PAGE_SIZE + 1))
 */
export function rowLimit(n: number): RawBuilder<number> {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`a row limit must be a whole number ≥ 0, not ${n}`);
  return sql.lit(n);
}
