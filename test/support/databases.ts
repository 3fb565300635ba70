import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database, type Dialect } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** The dialects this run covers: both unless CERTBILL_TEST_DIALECTS narrows it. */
export function testDialects(): Dialect[] {
  return inject('pgUrl') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * A fresh, migrated database of the given dialect: a temp SQLite file, or a new PostgreSQL database
 * on the test server. `drop()` removes it.
 */
export async function createTestDatabase(
  dialect: Dialect,
  opts: { migrate?: boolean } = {},
): Promise<Database & { drop(): Promise<void> }> {
  let db: Database;
  let cleanup: () => Promise<void>;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-db-'));
    db = await openDatabase(`sqlite:${path.join(dir, 'test.sqlite')}`);
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const admin = inject('pgUrl');
    const name = `t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    db = await openDatabase(admin.replace(/\/[^/]*$/, `/${name}`));
    cleanup = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      // The pool's end() resolves before its sockets are closed; forcing the drop while they close
      // would send those clients a termination they can no longer handle. Wait for them first.
      for (let i = 0; i < 50; i++) {
        const r = await c.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        if (Number(r.rows[0]?.n) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  if (opts.migrate !== false) await migrateToLatest(db);
  return Object.assign(db, {
    async drop() {
      await db.close();
      await cleanup();
    },
  });
}
