import type { AppContext } from '../../app-context.ts';

/**
 * A processing module row for panel tests and the panel benchmark (no CA is contacted): the pages
 * only list and name it. With `balance` it has a Reselling services balance read now (USD minor
 * units) and that minimal balance.
 * @example const id = await insertTestModule(ctx, 'GS main', 1);
 */
export async function insertTestModule(
  ctx: AppContext,
  name: string,
  sort: number,
  balance?: { readonly minor: number; readonly minimumMinor: number },
): Promise<number> {
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
      min_balance_minor: balance?.minimumMinor ?? 0,
      min_balance_currency: 'USD',
      balance_minor: balance?.minor ?? null,
      balance_currency: balance ? 'USD' : null,
      balance_read_at: balance ? now : null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
