import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import { AppError } from '../core/errors/index.ts';
import { preparingPool } from './pg-statements.ts';
import type { Database as Schema } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

/**
 * One typed query layer over SQLite and PostgreSQL. Both return the same shapes: integers (also
 * int8/bigserial) as numbers, instants as ISO 8601 UTC strings with milliseconds, dates as
 * `YYYY-MM-DD`, flags as 0/1 integers.
 *
 * @example
 *   const db = await openDatabase('sqlite:./data/certbill.sqlite');
 *   await migrateToLatest(db);
 *   await db.kysely.selectFrom('app_settings').selectAll().execute();
 */
export interface Database {
  readonly kysely: Kysely<Schema>;
  readonly dialect: Dialect;
  readonly url: string;
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  throw new AppError(
    'DB_UNSUPPORTED_URL',
    `DATABASE_URL "${redactUrl(url)}" is not supported: use sqlite:<path> or postgres://user:pass@host:port/db.`,
  );
}

export async function openDatabase(url: string): Promise<Database> {
  return dialectOf(url) === 'sqlite' ? openSqlite(url) : openPostgres(url);
}

function openSqlite(url: string): Database {
  const file = url.slice('sqlite:'.length) || ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const kysely = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: reusingStatements(raw) }),
  });
  return { kysely, dialect: 'sqlite', url, close: () => kysely.destroy() };
}

/**
 * SQLite transactions begin IMMEDIATE: the write lock is taken at BEGIN. A deferred transaction
 * that reads and then writes fails with SQLITE_BUSY_SNAPSHOT (busy_timeout does not retry it)
 * when another process committed in between — two workers claiming jobs on one file hit exactly
 * that. Taking the lock first makes the second writer wait on busy_timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/** How many prepared SQLite statements are kept for reuse (one per distinct SQL text). */
const SQLITE_STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; compiling the SQL text each time cost about a tenth of a
 * millisecond per query (a third of the time of a panel page's reads, profiled). The queries'
 * texts repeat (values are bound as parameters), so a statement is kept per text and reused;
 * one still being iterated (a streamed query) is never shared, another is prepared instead.
 */
function reusingStatements(raw: BetterSqlite3.Database): SqliteDialectConfig['database'] {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => raw.close(),
    prepare(text: string) {
      const kept = statements.get(text);
      if (kept && !kept.busy) return kept;
      const statement = raw.prepare(text);
      if (!kept) {
        if (statements.size >= SQLITE_STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

const PG_TYPES = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMP: 1114, TIMESTAMPTZ: 1184 } as const;

const PG_INSTANT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(\+00)?$/;

/**
 * An instant as PostgreSQL writes it with TimeZone=UTC (`2026-04-02 12:00:00.5+00`; `suffix` is
 * '+00' for timestamptz, '' for timestamp) as ISO 8601 with milliseconds, by rearranging the text:
 * through `Date` it cost about 2 µs a value, a tenth of a panel list's read. Anything else (years
 * past 9999, BC, infinity) goes through `Date` as before; fractions are cut to milliseconds as
 * `Date` does.
 */
export function isoInstant(v: string, suffix: '+00' | ''): string {
  const m = PG_INSTANT.exec(v);
  if (m && (m[4] ?? '') === suffix) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  return new Date(suffix === '' ? `${v}Z` : v).toISOString();
}

function pgTypeParsers(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: string) => {
      switch (oid) {
        case PG_TYPES.INT8:
          return (v: string) => {
            const n = Number(v);
            if (!Number.isSafeInteger(n))
              throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
            return n;
          };
        case PG_TYPES.NUMERIC:
        case PG_TYPES.DATE:
          return (v: string) => v;
        case PG_TYPES.TIMESTAMPTZ:
          return (v: string) => isoInstant(v, '+00');
        case PG_TYPES.TIMESTAMP:
          return (v: string) => isoInstant(v, '');
        default:
          return pg.types.getTypeParser(oid, format as 'text');
      }
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

function openPostgres(url: string): Database {
  const { connectionString, prepare } = postgresOptions(url);
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    types: pgTypeParsers(),
    options: '-c TimeZone=UTC',
  });
  const kysely = new Kysely<Schema>({
    dialect: new PostgresDialect({ pool: prepare ? preparingPool(pool) : pool }),
  });
  return { kysely, dialect: 'postgres', url, close: () => kysely.destroy() };
}

/**
 * certbill's own options in a PostgreSQL URL, taken out before the URL reaches the driver:
 * `prepare=off` runs every statement unnamed, for a pooler that hands each transaction another
 * server connection (PgBouncer in transaction mode before 1.21).
 */
export function postgresOptions(url: string): { connectionString: string; prepare: boolean } {
  const parsed = new URL(url);
  const prepare = parsed.searchParams.get('prepare');
  if (prepare === null) return { connectionString: url, prepare: true };
  if (prepare !== 'on' && prepare !== 'off')
    throw new AppError(
      'DB_UNSUPPORTED_URL',
      `DATABASE_URL "${redactUrl(url)}": prepare must be on or off, not "${prepare}".`,
    );
  parsed.searchParams.delete('prepare');
  return { connectionString: parsed.toString(), prepare: prepare === 'on' };
}

export async function pingDatabase(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
