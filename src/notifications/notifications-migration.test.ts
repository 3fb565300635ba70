import { Migrator, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects } from '../../test/support/databases.ts';
import type { Database } from '../db/database.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';

describe.each(testDialects())('migration 008 on %s', (dialect) => {
  let db: (Database & { drop(): Promise<void> }) | undefined;
  afterEach(async () => {
    await db?.drop();
  });

  it('keeps the recorded client notifications and lets a notification name a Department instead', async () => {
    db = await createTestDatabase(dialect, { migrate: false });
    const migrator = new Migrator({
      db: db.kysely,
      provider: { getMigrations: async () => MIGRATIONS },
      migrationTableName: 'schema_migrations',
      migrationLockTableName: 'schema_migrations_lock',
    });
    expect((await migrator.migrateTo('007-order-details')).error).toBeUndefined();
    const at = '2026-04-02T12:00:00.000Z';
    // The schema before 008, which the application's types no longer describe.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const k = db.kysely as unknown as Kysely<any>;
    const client = await k
      .insertInto('clients')
      .values({ name: 'Old Ltd', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await k
      .insertInto('notifications')
      .values({
        client_id: client.id,
        template: 'certificate-expiring',
        variables: '{"commonName":"old.example.com","actionNeeded":true}',
        action_needed: 1,
        dedupe_key: 'certificate-expiring:generation:1',
        created_at: at,
      })
      .execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();

    const kept = await db.kysely.selectFrom('notifications').selectAll().executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      client_id: client.id,
      department_id: null,
      dedupe_key: 'certificate-expiring:generation:1',
      created_at: at,
    });
    const language = await db.kysely.selectFrom('clients').select('language').executeTakeFirstOrThrow();
    expect(language.language).toBe('en');

    const department = await db.kysely
      .insertInto('departments')
      .values({ name: 'Ops', email: 'ops@example.com', created_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const base = { template: 'module-low-balance', variables: '{}', action_needed: 1, created_at: at };
    await db.kysely
      .insertInto('notifications')
      .values({ ...base, department_id: department.id, dedupe_key: 'd1' })
      .execute();
    // Exactly one recipient: neither, or both, is refused.
    await expect(
      db.kysely
        .insertInto('notifications')
        .values({ ...base, dedupe_key: 'd2' })
        .execute(),
    ).rejects.toThrow();
    await expect(
      db.kysely
        .insertInto('notifications')
        .values({ ...base, client_id: client.id, department_id: department.id, dedupe_key: 'd3' })
        .execute(),
    ).rejects.toThrow();
    // The outbox refers to notifications that exist.
    await expect(
      db.kysely
        .insertInto('mail_outbox')
        .values({
          notification_id: 999,
          template: 't',
          language: 'en',
          subject: 's',
          text: 't',
          state: 'queued',
          next_attempt_at: at,
          created_at: at,
        })
        .execute(),
    ).rejects.toThrow();
  });
});
