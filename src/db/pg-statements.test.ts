import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, postgresOptions, type Database } from './database.ts';
import { PG_NAMED_STATEMENTS, preparingPool } from './pg-statements.ts';

/** A stand-in for pg.Pool that records what each query was sent with. */
function recordingPool() {
  const sent: { text: string; name?: string; values?: unknown[] }[] = [];
  const released: (boolean | undefined)[] = [];
  const client = {
    query(config: string | { text: string; name?: string; values?: unknown[] }, values?: unknown[]) {
      sent.push(typeof config === 'string' ? { text: config, ...(values ? { values } : {}) } : config);
      return Promise.resolve({ command: 'SELECT', rowCount: 0, rows: [] });
    },
    release(destroy?: boolean) {
      released.push(destroy);
    },
  };
  const pool = { connect: () => Promise.resolve(client), end: () => Promise.resolve() };
  return { pool: pool as unknown as pg.Pool, sent, released };
}

describe('preparingPool', () => {
  it('names a parameterised statement by its text from its second call, the same name each time', async () => {
    const { pool, sent } = recordingPool();
    const client = await preparingPool(pool).connect();
    for (const id of [1, 2, 3, 4]) await client.query('select * from services where id = $1', [id]);
    await client.query('select * from clients where id = $1', [5]);
    await client.query('select * from clients where id = $1', [6]);
    expect(sent.map((s) => s.name)).toEqual([
      undefined,
      'certbill_1',
      'certbill_1',
      'certbill_1',
      undefined,
      'certbill_2',
    ]);
    expect(sent[3]?.values).toEqual([4]);
  });

  it('sends a statement without parameters through the simple protocol, unnamed', async () => {
    const { pool, sent } = recordingPool();
    const client = await preparingPool(pool).connect();
    await client.query('create table a (id int); create table b (id int)', []);
    expect(sent).toEqual([{ text: 'create table a (id int); create table b (id int)' }]);
  });

  it(`names at most ${PG_NAMED_STATEMENTS} texts and runs later ones unnamed`, async () => {
    const { pool, sent } = recordingPool();
    const client = await preparingPool(pool).connect();
    for (let i = 0; i <= PG_NAMED_STATEMENTS; i++)
      for (let call = 0; call < 2; call++) await client.query(`select $1::int + ${i}`, [i]);
    expect(sent.filter((s) => s.name !== undefined)).toHaveLength(PG_NAMED_STATEMENTS);
    expect(sent.at(-1)).toEqual({
      text: `select $1::int + ${PG_NAMED_STATEMENTS}`,
      values: [PG_NAMED_STATEMENTS],
    });
  });
});

describe('postgresOptions', () => {
  it('takes prepare=off out of the URL and keeps the rest', () => {
    expect(postgresOptions('postgres://u:p@h:5432/db?prepare=off&sslmode=disable')).toEqual({
      connectionString: 'postgres://u:p@h:5432/db?sslmode=disable',
      prepare: false,
    });
    expect(postgresOptions('postgres://u:p@h/db')).toEqual({
      connectionString: 'postgres://u:p@h/db',
      prepare: true,
    });
  });

  it('refuses another value without echoing the password', () => {
    expect(() => postgresOptions('postgres://u:hunter2@h/db?prepare=maybe')).toThrowError(
      /prepare must be on or off/,
    );
    expect(() => postgresOptions('postgres://u:hunter2@h/db?prepare=maybe')).not.toThrowError(/hunter2/);
  });
});

describe.runIf(inject('pgUrl'))('prepared statements on PostgreSQL', () => {
  let admin: string;
  let name: string;
  let url: string;
  let db: Database;

  beforeAll(async () => {
    admin = inject('pgUrl');
    name = `t_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    url = admin.replace(/\/[^/]*$/, `/${name}`);
    db = await openDatabase(url);
    await sql`create table stock (id int primary key, label text)`.execute(db.kysely);
    await sql`insert into stock values (1, 'one'), (2, 'two')`.execute(db.kysely);
  });
  afterAll(async () => {
    await db.close();
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });

  const readStock = (id: number) =>
    sql<Record<string, unknown>>`select * from stock where id = ${id}`.execute(db.kysely);

  it('prepares a statement once on the connection and reuses it', async () => {
    await db.kysely.connection().execute(async (conn) => {
      for (const id of [1, 2, 1]) await sql`select * from stock where id = ${id}`.execute(conn);
      const prepared = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements
        where statement like ${'%from stock where id = $1%'}`.execute(conn);
      expect(prepared.rows[0]?.n).toBe(1);
    });
  });

  it('answers with the new columns after another process changes the table, and recovers the connection', async () => {
    // Warm every pooled connection with the statement, then change the table from outside.
    await Promise.all(Array.from({ length: 10 }, () => readStock(1)));
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query(`alter table stock add column note text default 'n/a'`);
    await other.end();
    const rows = await Promise.all(Array.from({ length: 10 }, () => readStock(2)));
    for (const r of rows) expect(r.rows).toEqual([{ id: 2, label: 'two', note: 'n/a' }]);
    // Inside a transaction the stale statement aborts it: the caller sees the error, nothing is
    // half done, and the next call succeeds.
    await Promise.all(Array.from({ length: 10 }, () => readStock(1)));
    const again = new pg.Client({ connectionString: url });
    await again.connect();
    await again.query(`alter table stock add column extra int default 7`);
    await again.end();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        db.kysely.transaction().execute(async (trx) => {
          await sql`insert into stock (id, label) values (${100 + Math.floor(Math.random() * 1e6)}, 'tx')`.execute(
            trx,
          );
          return sql<Record<string, unknown>>`select * from stock where id = ${1}`.execute(trx);
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    for (const f of failed)
      expect(String((f as PromiseRejectedResult).reason)).toMatch(/cached plan|does not exist/);
    const inserted = await sql<{
      n: number;
    }>`select count(*)::int as n from stock where label = 'tx'`.execute(db.kysely);
    expect(inserted.rows[0]?.n).toBe(outcomes.length - failed.length);
    expect((await readStock(1)).rows).toEqual([{ id: 1, label: 'one', note: 'n/a', extra: 7 }]);
  });

  it('runs unnamed with prepare=off', async () => {
    const plain = await openDatabase(`${url}?prepare=off`);
    try {
      await plain.kysely.connection().execute(async (conn) => {
        await sql`select label from stock where id = ${1}`.execute(conn);
        const prepared = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_prepared_statements`.execute(conn);
        expect(prepared.rows[0]?.n).toBe(0);
      });
    } finally {
      await plain.close();
    }
  });
});
