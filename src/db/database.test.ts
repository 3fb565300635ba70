import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../../test/support/databases.ts';
import { dialectOf, isoInstant, openDatabase, type Database } from './database.ts';
import { migrateToLatest } from './migrate.ts';

describe('dialectOf', () => {
  it('recognises sqlite and postgres URLs', () => {
    expect(dialectOf('sqlite:./data/x.sqlite')).toBe('sqlite');
    expect(dialectOf('postgres://u:p@127.0.0.1:5432/db')).toBe('postgres');
    expect(dialectOf('postgresql://127.0.0.1/db')).toBe('postgres');
  });

  it('refuses other URLs without echoing the password', () => {
    expect(() => dialectOf('mysql://root:hunter2@db/x')).toThrowError(/sqlite:<path> or postgres/);
    expect(() => dialectOf('mysql://root:hunter2@db/x')).not.toThrowError(/hunter2/);
  });
});

describe.each(testDialects())('database on %s', (dialect) => {
  let db: Database & { drop(): Promise<void> };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => db.drop());

  it('runs migrations once and reports nothing new the second time', async () => {
    const again = await migrateToLatest(db);
    expect(again.applied).toEqual([]);
    expect(again.current).toContain('001-foundation');
  });

  it('reads instants back as ISO 8601 UTC strings with milliseconds', async () => {
    await db.kysely
      .insertInto('app_settings')
      .values({ key: 'k1', value: 'v', updated_at: '2026-04-02T12:00:00.000Z' })
      .execute();
    const row = await db.kysely
      .selectFrom('app_settings')
      .selectAll()
      .where('key', '=', 'k1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ key: 'k1', value: 'v', updated_at: '2026-04-02T12:00:00.000Z' });
  });

  it('returns counts and 64-bit integers as numbers', async () => {
    const r = await sql<{
      n: number;
      big: number;
    }>`select count(*) as n, cast(9007199254740991 as bigint) as big from app_settings`.execute(db.kysely);
    expect(r.rows[0]).toEqual({ n: 1, big: 9007199254740991 });
  });

  it('keeps instants in order when compared as stored values', async () => {
    await db.kysely
      .insertInto('app_settings')
      .values([
        { key: 'a', value: '1', updated_at: '2027-03-15T00:00:00.000Z' },
        { key: 'b', value: '2', updated_at: '2026-12-31T23:59:59.999Z' },
      ])
      .execute();
    const rows = await db.kysely
      .selectFrom('app_settings')
      .select('key')
      .where('updated_at', '>=', '2026-12-01T00:00:00.000Z')
      .orderBy('updated_at')
      .execute();
    expect(rows.map((r) => r.key)).toEqual(['b', 'a']);
  });
});

describe('SQLite transactions', () => {
  it('take the write lock at BEGIN, so a read-then-write never fails on a stale snapshot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-immediate-'));
    const file = path.join(dir, 'db.sqlite');
    const db = await openDatabase(`sqlite:${file}`);
    const other = new BetterSqlite3(file);
    other.pragma('busy_timeout = 0');
    try {
      await migrateToLatest(db);
      let otherBegin = '';
      await db.kysely.transaction().execute(async (trx) => {
        await trx.selectFrom('app_settings').selectAll().execute();
        try {
          other.exec('begin immediate');
          other.exec('rollback');
          otherBegin = 'acquired';
        } catch (e) {
          otherBegin = (e as { code?: string }).code ?? String(e);
        }
      });
      expect(otherBegin).toBe('SQLITE_BUSY');
      other.exec('begin immediate');
      other.exec('rollback');
    } finally {
      other.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('isoInstant', () => {
  it('reads PostgreSQL instants exactly as Date would, for any time and fraction', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 999_999 }),
        (at, digits, micros) => {
          const base = at.toISOString().slice(0, 19).replace('T', ' ');
          const fraction = digits === 0 ? '' : `.${String(micros).padStart(6, '0').slice(0, digits)}`;
          const tz = `${base}${fraction}+00`;
          expect(isoInstant(tz, '+00')).toBe(new Date(tz).toISOString());
          expect(isoInstant(`${base}${fraction}`, '')).toBe(new Date(`${base}${fraction}Z`).toISOString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('leaves what it does not know to Date (another zone, a year past 9999)', () => {
    expect(isoInstant('2026-04-02 14:00:00+02', '+00')).toBe('2026-04-02T12:00:00.000Z');
    expect(isoInstant('2026-04-02 12:00:00+00', '')).toBe('2026-04-02T12:00:00.000Z');
    expect(() => isoInstant('infinity', '+00')).toThrow(RangeError);
  });
});
