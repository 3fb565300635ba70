import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { AppContext } from '../src/app-context.ts';
import { addClient } from '../src/billing/add-client.ts';
import { addTariff } from '../src/billing/add-tariff.ts';
import { createApiToken } from '../src/billing/api-token-repository.ts';
import { creditAccount } from '../src/billing/credit-account.ts';
import { placeCertificateOrder } from '../src/billing/place-certificate-order.ts';
import { composeBareContext } from '../src/compose.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database as Schema } from '../src/db/schema.ts';
import { buildApp } from '../src/http/build-app.ts';
import { billingRoutes } from '../src/http/routes/billing/index.ts';

interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const HTTP_ORDERS = 3_000;
const CONCURRENCY = 32;
const DIRECT_ORDERS = 2_000;
const PLAIN_INSERTS = 5_000;
const CLIENTS = 16;
const GOAL = 300;

/**
 * Paid orders on SQLite (WAL, synchronous=NORMAL, as `openDatabase` sets it): through the HTTP API
 * with `app.inject()` and 32 requests in flight (token check, schema validation, idempotency key,
 * tariff version check, quote by the domain rules, service + charge + balance in one transaction),
 * the same use case called directly, the same again over a driver that reuses prepared statements,
 * and as a baseline the bare insert rate of a service-like row through the same driver.
 */
export default async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-bench-orders-'));
  try {
    const plain = await openDatabase(`sqlite:${path.join(dir, 'orders.sqlite')}`);
    const cached = openSqliteWithStatementCache(path.join(dir, 'orders-cached.sqlite'));
    const load = os.loadavg()[0]?.toFixed(1) ?? '?';
    const figures = [
      ...(await measureOrders(plain, dir, '')),
      ...(await measureOrders(cached, dir, ', prepared-statement cache')),
      await measurePlainInserts(plain),
    ];
    await plain.close();
    await cached.close();
    return figures.map((f) => ({
      ...f,
      note: `${f.note ?? ''}${f.note ? '; ' : ''}load avg ${load} at start`,
    }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function measureOrders(db: Database, dir: string, variant: string): Promise<BenchResult[]> {
  await migrateToLatest(db);
  const ctx = benchContext(db);
  const tariff = await addTariff(ctx, {
    name: 'DomainSSL',
    product: 'DV',
    currency: 'USD',
    prices: [
      { years: 1, amount: '30.00' },
      { years: 5, amount: '100.00' },
    ],
    ucSanAddon: { price: '0.00' },
    domainAddon: { price: '20.00' },
  });
  const clients: number[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = await addClient(ctx, { name: `Bench ${i}`, email: `bench-${i}@example.com` });
    await creditAccount(ctx, { clientId: client.id, amount: '100000000.00', idempotencyKey: `fund-${i}` });
    clients.push(client.id);
  }
  const order = (i: number) => ({
    clientId: clients[i % CLIENTS] as number,
    tariffId: tariff.id,
    years: 5,
    cn: `site${i}.example.com`,
    sans: [`www.site${i}.example.com`, `shop${i}.example.net`],
    dcv: 'dns',
  });

  const app = await buildApp(ctx, [billingRoutes]);
  const token = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
  const post = async (i: number, run: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': `${run}-${i}` },
      payload: order(i),
    });
    if (res.statusCode !== 201) throw new Error(`order ${i} answered ${res.statusCode}: ${res.body}`);
  };
  for (let i = 0; i < 200; i++) await post(i, 'warm-up');

  const latencies: number[] = [];
  let next = 0;
  const httpStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < HTTP_ORDERS) {
        const i = next++;
        const t0 = performance.now();
        await post(i, 'http');
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const httpRate = HTTP_ORDERS / ((performance.now() - httpStart) / 1_000);
  await app.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;

  const directStart = performance.now();
  for (let i = 0; i < DIRECT_ORDERS; i++) {
    await placeCertificateOrder(ctx, { ...order(i), idempotencyKey: `direct-${i}` });
  }
  const directRate = DIRECT_ORDERS / ((performance.now() - directStart) / 1_000);

  return [
    {
      name: `paid orders via HTTP API (SQLite${variant})`,
      value: Math.round(httpRate),
      unit: 'orders/s',
      note: `${HTTP_ORDERS} orders, ${CONCURRENCY} in flight, app.inject; goal ≥ ${GOAL}: ${httpRate >= GOAL ? 'met' : 'NOT met'}`,
    },
    {
      name: `order latency p50 / p99 (HTTP${variant})`,
      value: Number(pct(0.5).toFixed(1)),
      unit: 'ms',
      note: `p99 ${pct(0.99).toFixed(1)} ms with ${CONCURRENCY} in flight`,
    },
    {
      name: `paid orders via use case (SQLite${variant})`,
      value: Math.round(directRate),
      unit: 'orders/s',
      note: 'placeCertificateOrder in sequence, no HTTP',
    },
  ];
}

async function measurePlainInserts(db: Database): Promise<BenchResult> {
  await sql`create table bench_plain (id integer primary key autoincrement, client_id integer not null,
    common_name text not null, price_total_minor integer not null, price_lines text not null,
    created_at text not null)`.execute(db.kysely);
  const plain = db.kysely.withTables<{
    bench_plain: {
      client_id: number;
      common_name: string;
      price_total_minor: number;
      price_lines: string;
      created_at: string;
    };
  }>();
  const lines = JSON.stringify([{ kind: 'base', amountMinor: 10_000 }]);
  const start = performance.now();
  for (let i = 0; i < PLAIN_INSERTS; i++) {
    await plain
      .insertInto('bench_plain')
      .values({
        client_id: 1,
        common_name: `site${i}.example.com`,
        price_total_minor: 12_000,
        price_lines: lines,
        created_at: new Date().toISOString(),
      })
      .execute();
  }
  return {
    name: 'bare insert baseline (SQLite)',
    value: Math.round(PLAIN_INSERTS / ((performance.now() - start) / 1_000)),
    unit: 'inserts/s',
    note: 'one autocommit INSERT of a service-like row through Kysely + better-sqlite3',
  };
}

function benchContext(db: Database): AppContext {
  return composeBareContext(db, { version: 'bench' });
}

/**
 * The same SQLite setup as `openDatabase`, with better-sqlite3 statements prepared once per SQL
 * text: Kysely's SQLite driver prepares every statement again, which shows in the order profile.
 */
function openSqliteWithStatementCache(file: string): Database {
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const database = {
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement || statement.busy) {
        statement = raw.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
    close: () => raw.close(),
  };
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return { kysely, dialect: 'sqlite', url: `sqlite:${file}`, close: () => kysely.destroy() };
}
