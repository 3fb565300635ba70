import type { AppContext } from '../../app-context.ts';

/**
 * A processing module row for panel tests (no CA is contacted): the pages only list and name it.
 * @example const id = await insertTestModule(ctx, 'GS main', 1);
 */
export async function insertTestModule(ctx: AppContext, name: string, sort: number): Promise<number> {
  const now = ctx.clock.now().toISOString();
  const row = await ctx.db.kysely
    .insertInto('processing_modules')
    .values({
      kind: 'globalsign',
      product_type: 'ssl',
      name,
      username: 'PAR1',
      password_sealed: 'x',
      demo: 1,
      enabled: 1,
      balance_below_minimum: 0,
      sort,
      min_balance_minor: 0,
      min_balance_currency: 'USD',
      balance_minor: null,
      balance_currency: null,
      balance_read_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
