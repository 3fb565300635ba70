import type { Kysely } from 'kysely';
import { columnTypes, dialectOfKysely } from '../column-types.ts';

/**
 * What an order says beyond names and CSR: whether certbill may keep a key it generated
 * (`save_key`, "Do not save the key" stores 0) and the OV/EV organization data given to the CA
 * (`organization`, JSON; null for DV). Idempotent.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(dialectOfKysely(db));
  const services = (await db.introspection.getTables()).find((table) => table.name === 'services');
  const has = (name: string) => services?.columns.some((c) => c.name === name) ?? false;
  if (!has('save_key')) {
    await db.schema
      .alterTable('services')
      .addColumn('save_key', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  }
  if (!has('organization')) {
    await db.schema.alterTable('services').addColumn('organization', t.json).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('services').dropColumn('organization').execute();
  await db.schema.alterTable('services').dropColumn('save_key').execute();
}
