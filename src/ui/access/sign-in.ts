import type { AppContext } from '../../app-context.ts';
import { verifyPassword } from './password-hash.ts';
import {
  clearLoginFailures,
  lockedFor,
  LOGIN_LIMITS,
  recordLoginFailure,
  throttleKeys,
} from './login-throttle.ts';
import type { SessionUserKind } from './session-store.ts';

export type SignInOutcome =
  | { readonly ok: true; readonly userKind: SessionUserKind; readonly userId: number }
  | { readonly ok: false; readonly reason: 'wrong-credentials' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number };

/**
 * Checks an e-mail and password against staff users, then client users (an address belongs to
 * one user only). The answer is the same for an unknown address, a user without a password and a
 * wrong password, and each costs one argon2 verification. Failures count per account and per IP.
 * @example await signIn(ctx, { email: 'ops@example.net', password: '…', ip: '203.0.113.7' }) → { ok: true, userKind: 'staff', userId: 1 }
 */
export async function signIn(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  input: { email: string; password: string; ip: string },
): Promise<SignInOutcome> {
  const email = input.email.trim().toLowerCase();
  const keys = throttleKeys(input.ip, email);
  const wait = await lockedFor(ctx, [keys.account, keys.ip]);
  if (wait > 0) return { ok: false, reason: 'throttled', retryAfterMs: wait };

  const staff = await ctx.db.kysely
    .selectFrom('staff_users')
    .select(['id', 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
  const client = staff
    ? undefined
    : await ctx.db.kysely
        .selectFrom('client_users')
        .select(['id', 'password_hash'])
        .where('email', '=', email)
        .executeTakeFirst();
  const user = staff ?? client;
  const ok = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!ok || !user) {
    await recordLoginFailure(ctx, keys.account, LOGIN_LIMITS.account);
    await recordLoginFailure(ctx, keys.ip, LOGIN_LIMITS.ip);
    return { ok: false, reason: 'wrong-credentials' };
  }
  await clearLoginFailures(ctx, keys.account);
  return { ok: true, userKind: staff ? 'staff' : 'client', userId: user.id };
}
