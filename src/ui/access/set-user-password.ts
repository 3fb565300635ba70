import type { AppContext } from '../../app-context.ts';
import { readEmail } from '../../billing/read-text.ts';
import { AppError } from '../../core/errors/index.ts';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './password-hash.ts';
import { endUserSessions } from './session-store.ts';

export type UserKind = 'staff' | 'client';

export interface SetUserPasswordInput {
  readonly kind: UserKind;
  readonly email: string;
  readonly password: string;
}

/**
 * Sets (or replaces) the panel password of a staff or client user, stored as an argon2id hash, and
 * ends the user's open sessions so an old password's sessions do not outlive it.
 * @example await setUserPassword(ctx, { kind: 'staff', email: 'ops@example.net', password: '…' }) → { userId: 1, kind: 'staff', email: 'ops@example.net' }
 */
export async function setUserPassword(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  input: SetUserPasswordInput,
): Promise<{ userId: number; kind: UserKind; email: string }> {
  const email = readEmail(input.email);
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > MAX_PASSWORD_LENGTH) {
    throw new AppError(
      'PANEL_PASSWORD_INVALID',
      `A password needs ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters; this one has ${input.password.length}.`,
    );
  }
  const table = input.kind === 'staff' ? 'staff_users' : 'client_users';
  const user = await ctx.db.kysely
    .selectFrom(table)
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  if (!user) {
    throw new AppError(
      'PANEL_USER_NOT_FOUND',
      `No ${input.kind} user has the e-mail address ${email}; check it, or add the user first.`,
      { email },
    );
  }
  const passwordHash = await hashPassword(input.password);
  await ctx.db.kysely
    .updateTable(table)
    .set({ password_hash: passwordHash, password_set_at: ctx.clock.now().toISOString() })
    .where('id', '=', user.id)
    .execute();
  await endUserSessions(ctx, input.kind, user.id);
  return { userId: user.id, kind: input.kind, email };
}
