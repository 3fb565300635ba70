import type { AppContext } from '../../app-context.ts';

/**
 * Failed sign-ins allowed per window before a key is locked: per account (the e-mail typed, known
 * or not, so the limit says nothing about which addresses exist) and per client IP address.
 */
export const LOGIN_LIMITS = {
  account: { failures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  ip: { failures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const;

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export function throttleKeys(ip: string, email: string): { account: string; ip: string } {
  return { account: `account:${email.trim().toLowerCase()}`, ip: `ip:${ip}` };
}

/** Milliseconds until the first of the keys unlocks, or 0 when none is locked. */
export async function lockedFor(ctx: Ctx, keys: readonly string[]): Promise<number> {
  const now = ctx.clock.now().getTime();
  const rows = await ctx.db.kysely
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('key', 'in', keys)
    .execute();
  return Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) - now : 0)));
}

/** Counts a failed sign-in against a key, locking it when its limit is reached. */
export async function recordLoginFailure(
  ctx: Ctx,
  key: string,
  limit: { failures: number; windowMs: number; lockMs: number },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('login_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const fresh = !row || now.getTime() - Date.parse(row.window_started_at) >= limit.windowMs;
    const failures = fresh ? 1 : row.failures + 1;
    const windowStartedAt = fresh ? now.toISOString() : row.window_started_at;
    const lockedUntil =
      failures >= limit.failures ? new Date(now.getTime() + limit.lockMs).toISOString() : null;
    await trx
      .insertInto('login_throttle')
      .values({ key, failures, window_started_at: windowStartedAt, locked_until: lockedUntil })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ failures, window_started_at: windowStartedAt, locked_until: lockedUntil }),
      )
      .execute();
  });
}

/** Forgets an account's failures after a successful sign-in (the IP count stays). */
export async function clearLoginFailures(ctx: Ctx, key: string): Promise<void> {
  await ctx.db.kysely.deleteFrom('login_throttle').where('key', '=', key).execute();
}
