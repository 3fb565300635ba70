import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../../test/support/databases.ts';
import type { Database } from '../db/database.ts';
import { scanDuePages } from './scan-due-pages.ts';

interface Generation {
  id: number;
  service_id: number;
  reissue_at: string;
}

describe.each(testDialects())('scanDuePages on %s', (dialect) => {
  let db: Database & { drop(): Promise<void> };
  beforeEach(async () => {
    db = await createTestDatabase(dialect, { migrate: false });
    const instant = dialect === 'postgres' ? sql`timestamptz` : sql`text`;
    await sql`create table generations (id integer primary key, service_id integer not null,
      reissue_at ${instant}, superseded integer not null)`.execute(db.kysely);
    await sql`create index generations_due on generations (reissue_at, id) where superseded = 0`.execute(
      db.kysely,
    );
    // 40 rows: ids 1..40, three per instant (ties), every fourth superseded, two never due (null).
    for (let id = 1; id <= 40; id++) {
      const at = id > 38 ? null : new Date(Date.UTC(2026, 3, 1 + Math.floor((41 - id) / 3))).toISOString();
      await sql`insert into generations values (${id}, ${id * 10}, ${at}, ${id % 4 === 0 ? 1 : 0})`.execute(
        db.kysely,
      );
    }
  });
  afterEach(async () => {
    await db.drop();
  });

  const scan = async (now: string, pageSize: number) => {
    const pages: Generation[][] = [];
    for await (const page of scanDuePages<Generation>(db, {
      table: 'generations',
      dueColumn: 'reissue_at',
      columns: ['id', 'service_id'],
      where: sql`superseded = 0`,
      now: new Date(now),
      pageSize,
    })) {
      pages.push(page);
    }
    return pages;
  };

  it('reads every due row exactly once, in (due, id) order, across pages and ties', async () => {
    const now = '2026-04-10T00:00:00.000Z';
    const all = (await scan(now, 1000)).flat();
    expect(all.length).toBeGreaterThan(10);
    expect(all.every((g) => g.reissue_at <= now)).toBe(true);
    expect(all.every((g) => g.id % 4 !== 0)).toBe(true);
    const sorted = [...all].sort((a, b) =>
      a.reissue_at < b.reissue_at ? -1 : a.reissue_at > b.reissue_at ? 1 : a.id - b.id,
    );
    expect(all).toEqual(sorted);
    for (const size of [1, 2, 3, 7]) {
      const pages = await scan(now, size);
      expect(pages.flat()).toEqual(all);
      expect(pages.every((p) => p.length <= size)).toBe(true);
    }
    expect(all[0]).toEqual({ id: 37, service_id: 370, reissue_at: '2026-04-02T00:00:00.000Z' });
  });

  it('yields nothing when nothing is due', async () => {
    expect(await scan('2026-01-01T00:00:00.000Z', 5)).toEqual([]);
  });
});
