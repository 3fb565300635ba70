import type { Kysely } from 'kysely';
import type { Database, Dialect } from '../db/database.ts';
import { up as createJobsTables } from '../db/migrations/003-jobs.ts';
import { createTestContext, type TestContext } from '../../test/support/app.ts';

/** Adds the jobs and tasks tables to a test database unless its migrations already did. */
export async function ensureJobsTables(db: Database): Promise<void> {
  const tables = await db.kysely.introspection.getTables();
  if (!tables.some((t) => t.name === 'jobs')) await createJobsTables(db.kysely as unknown as Kysely<unknown>);
}

/** A test context (fresh database, TestClock at 2026-04-02T12:00:00Z) with the jobs tables. */
export async function createJobsTestContext(dialect: Dialect): Promise<TestContext> {
  const ctx = await createTestContext(dialect);
  await ensureJobsTables(ctx.db);
  return ctx;
}
