// Finding the due reissues among 1,000,000 subscriptions: a paged due scan (scanDuePages, keyset
// pagination over a partial index on (reissue_at, id)) beside a raw count over the same index, on
// SQLite and PostgreSQL. The table is shaped like certificate generations: 1,000,000 current
// generations (one per subscription, 10 % without a next reissue) and 250,000 superseded ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.ts';
import { scanDuePages } from '../src/jobs/scan-due-pages.ts';
import { startThrowawayPostgres } from '../test/support/postgres-server.ts';
import type { Figure } from './run.ts';

const SUBSCRIPTIONS = 1_000_000;
const SUPERSEDED = 250_000;
const SPACING_S = 15;
const T0 = Date.UTC(2026, 3, 2, 12, 0, 0) / 1000;
/** ~3,000 current generations are due at NOW (offsets below 3,334 × 15 s, minus the 10 % without one). */
const NOW = new Date((T0 + 3_334 * SPACING_S) * 1000);
const PAGE_SIZE = 1_000;
const REPEATS = 5;

export default async function bench(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-bench-due-'));
  const sqlite = await openDatabase(`sqlite:${path.join(dir, 'due.sqlite')}`);
  try {
    figures.push(...(await measure(sqlite, seedSqlite)));
  } finally {
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const server = await startThrowawayPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_due');
    await admin.end();
    const postgres = await openDatabase(server.url.replace(/\/[^/]*$/, '/bench_due'));
    try {
      figures.push(...(await measure(postgres, seedPostgres)));
    } finally {
      await postgres.close();
    }
  } finally {
    server.stop();
  }
  return figures;
}

async function measure(db: Database, seed: (db: Database) => Promise<void>): Promise<Figure[]> {
  const d = db.dialect;
  const seedStart = performance.now();
  await seed(db);
  const seedMs = performance.now() - seedStart;

  const countQuery = sql<{ n: number | string }>`select count(*) as n from certificate_generations
    where superseded = 0 and reissue_at <= ${NOW.toISOString()}`;
  const plan = await explain(db, countQuery.compile(db.kysely).sql, [NOW.toISOString()]);
  const usesIndex = plan.includes('generations_due');

  const scanTimes: number[] = [];
  const countTimes: number[] = [];
  let due = 0;
  let pages = 0;
  let rssDelta = 0;
  let counted = 0;
  for (let r = 0; r < REPEATS; r++) {
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const start = performance.now();
    let rows = 0;
    let n = 0;
    for await (const page of scanDuePages<{ id: number; service_id: number; reissue_at: string }>(db, {
      table: 'certificate_generations',
      dueColumn: 'reissue_at',
      columns: ['id', 'service_id', 'seq', 'reissue_at', 'dcv_needed_from'],
      where: sql`superseded = 0`,
      now: NOW,
      pageSize: PAGE_SIZE,
    })) {
      rows += page.length;
      n += 1;
      peak = Math.max(peak, process.memoryUsage.rss());
    }
    scanTimes.push(performance.now() - start);
    due = rows;
    pages = n;
    rssDelta = Math.max(rssDelta, peak - rssBefore);

    const countStart = performance.now();
    const { rows: countRows } = await countQuery.execute(db.kysely);
    countTimes.push(performance.now() - countStart);
    counted = Number(countRows[0]?.n);
  }
  if (counted !== due) throw new Error(`${d}: the scan read ${due} due rows, the count says ${counted}`);
  const note = `${due} due of ${SUBSCRIPTIONS.toLocaleString('en')} current + ${SUPERSEDED.toLocaleString('en')} superseded, median of ${REPEATS}`;
  return [
    { name: `${d}: seed 1.25M generations + index`, value: seedMs / 1000, unit: 's' },
    {
      name: `${d}: paged due scan (${PAGE_SIZE}/page, ${pages} pages)`,
      value: median(scanTimes),
      unit: 'ms',
      note: `${note}; first ${scanTimes[0]?.toFixed(1)} ms`,
    },
    {
      name: `${d}: raw count(*) over the same index`,
      value: median(countTimes),
      unit: 'ms',
      note: usesIndex ? 'plan uses generations_due' : `plan does NOT use the index: ${plan}`,
    },
    { name: `${d}: peak RSS growth during a scan`, value: rssDelta / 2 ** 20, unit: 'MiB' },
  ];
}

async function seedSqlite(db: Database): Promise<void> {
  await sql`create table certificate_generations (
    id integer primary key, service_id integer not null, seq integer not null, state text not null,
    reissue_at text, dcv_needed_from text, superseded integer not null)`.execute(db.kysely);
  const at = (offset: string) =>
    sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', ${T0} + (${offset}) * ${SPACING_S}, 'unixepoch')`);
  // One statement each; ids are scattered over reissue_at by a multiplicative permutation.
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${SUBSCRIPTIONS})
    insert into certificate_generations
    select i, i, 2, 'issued', case when i % 10 = 0 then null else ${at(`(i * 7919) % ${SUBSCRIPTIONS}`)} end,
      null, 0 from n`.execute(db.kysely);
  await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${SUPERSEDED})
    insert into certificate_generations
    select ${SUBSCRIPTIONS} + i, i, 1, 'superseded', ${at(`-(i % 100000)`)}, null, 1 from n`.execute(
    db.kysely,
  );
  await sql`create index generations_due on certificate_generations (reissue_at, id) where superseded = 0`.execute(
    db.kysely,
  );
  await sql`analyze`.execute(db.kysely);
}

async function seedPostgres(db: Database): Promise<void> {
  await sql`create table certificate_generations (
    id bigint primary key, service_id bigint not null, seq integer not null, state text not null,
    reissue_at timestamptz, dcv_needed_from timestamptz, superseded integer not null)`.execute(db.kysely);
  const t0 = sql.lit(new Date(T0 * 1000).toISOString());
  await sql`insert into certificate_generations
    select i, i, 2, 'issued',
      case when i % 10 = 0 then null
        else ${t0}::timestamptz + ((i * 7919) % ${sql.lit(SUBSCRIPTIONS)}) * interval '${sql.raw(String(SPACING_S))} seconds' end,
      null, 0
    from generate_series(1::bigint, ${sql.lit(SUBSCRIPTIONS)}) as i`.execute(db.kysely);
  await sql`insert into certificate_generations
    select ${sql.lit(SUBSCRIPTIONS)} + i, i, 1, 'superseded',
      ${t0}::timestamptz - (i % 100000) * interval '${sql.raw(String(SPACING_S))} seconds', null, 1
    from generate_series(1::bigint, ${sql.lit(SUPERSEDED)}) as i`.execute(db.kysely);
  await sql`create index generations_due on certificate_generations (reissue_at, id) where superseded = 0`.execute(
    db.kysely,
  );
  await sql`vacuum analyze certificate_generations`.execute(db.kysely);
}

async function explain(db: Database, query: string, params: readonly unknown[]): Promise<string> {
  const prefix = db.dialect === 'sqlite' ? 'explain query plan ' : 'explain ';
  const { rows } = await sql
    .raw<Record<string, unknown>>(prefix + inline(query, params, db.dialect))
    .execute(db.kysely);
  return rows.map((r) => Object.values(r).join(' ')).join(' | ');
}

function inline(query: string, params: readonly unknown[], dialect: string): string {
  let i = 0;
  return query.replace(dialect === 'sqlite' ? /\?/g : /\$\d+/g, () => `'${String(params[i++])}'`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
