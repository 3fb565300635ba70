import type { ColumnDataType, ColumnDefinitionBuilder, Expression, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from './database.ts';

/**
 * Column types that mean the same on both dialects, for migrations.
 * `instant`: timestamptz on PostgreSQL, ISO text on SQLite (both read back as ISO strings).
 */
export function columnTypes(dialect: Dialect) {
  const pgsql = dialect === 'postgres';
  return {
    instant: (pgsql ? 'timestamptz' : 'text') as ColumnDataType,
    date: (pgsql ? 'date' : 'text') as ColumnDataType,
    bigint: (pgsql ? 'bigint' : 'integer') as ColumnDataType,
    json: (pgsql ? 'jsonb' : 'text') as ColumnDataType,
    /** Auto-increment primary key column: pass to `.addColumn('id', t.idType, t.idConstraints)`. */
    idType: (pgsql ? 'bigserial' : 'integer') as ColumnDataType,
  };
}

/** Reads the dialect a migration runs on (migrations receive only the Kysely instance). */
export function dialectOfKysely(db: Kysely<unknown>): Dialect {
  const name = db.getExecutor().adapter.constructor.name;
  return name.startsWith('Postgres') ? 'postgres' : 'sqlite';
}

export const nowDefault: Expression<unknown> = sql`CURRENT_TIMESTAMP`;

/**
 * The constraints of an auto-increment `id` column: SQLite's `integer primary key autoincrement`
 * or PostgreSQL's `bigserial primary key` (with `columnTypes(dialect).idType`).
 * @example db.schema.createTable('jobs').addColumn('id', t.idType, idConstraints(dialect))
 */
export function idConstraints(dialect: Dialect): (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder {
  return (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}
