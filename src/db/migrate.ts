import { Migrator, type MigrationResultSet } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Database } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

export interface MigrationReport {
  applied: string[];
  current: string[];
}

/** Brings the schema up to date; safe to call at every start (already applied steps are skipped). */
export async function migrateToLatest(db: Database): Promise<MigrationReport> {
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError(
      'CORE_INTERNAL',
      `Database migration ${failed} failed: ${String(result.error)}`,
      {},
      {
        cause: result.error,
      },
    );
  }
  const applied = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current: Object.keys(MIGRATIONS) };
}
