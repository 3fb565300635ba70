import { hash, randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';

export type SessionUserKind = 'staff' | 'client';

/** How long a session lives: it ends after 2 hours without a request, or 12 hours after sign-in. */
export const SESSION_IDLE_MS = 2 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** `last_seen_at` is written at most once a minute, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

export interface PanelSession {
  readonly id: number;
  readonly userKind: SessionUserKind;
  readonly userId: number;
  readonly csrfToken: string;
  readonly flash: Flash | null;
  readonly expiresAt: string;
}

export interface Flash {
  readonly kind: 'info' | 'success' | 'error';
  readonly text: string;
}

type Ctx = Pick<AppContext, 'db' | 'clock'>;

export function hashSessionToken(token: string): string {
  // The one-shot digest: a Hash object per panel request showed in the profile.
  return hash('sha256', token, 'hex');
}

/**
 * Opens a session for a user; returns the cookie token (shown only here) and the session.
 * @example const { token } = await createSession(ctx, 'staff', 1); // set as the certbill_session cookie
 */
export async function createSession(
  ctx: Ctx,
  userKind: SessionUserKind,
  userId: number,
): Promise<{ token: string; session: PanelSession }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString();
  const row = await ctx.db.kysely
    .insertInto('web_sessions')
    .values({
      token_hash: hashSessionToken(token),
      user_kind: userKind,
      user_id: userId,
      csrf_token: csrfToken,
      flash: null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      idle_expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, session: { id: row.id, userKind, userId, csrfToken, flash: null, expiresAt } };
}

/** The user a session belongs to, as read with it (null columns when the user is gone). */
export interface SessionUserRow {
  readonly id: number | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly passwordHash: string | null;
  /** Staff users only. */
  readonly role: string | null;
  readonly departmentId: number | null;
  /** Client users only. */
  readonly clientId: number | null;
}

/**
 * The live session of a cookie token with its user's row, in one query (it runs on every panel
 * request), moving its idle expiry forward. Null when unknown or expired.
 */
export async function findSessionWithUser(
  ctx: Ctx,
  token: string,
): Promise<{ session: PanelSession; user: SessionUserRow } | null> {
  if (token.length === 0 || token.length > 100) return null;
  const row = await ctx.db.kysely
    .selectFrom('web_sessions as w')
    .leftJoin('staff_users as su', (join) =>
      join.onRef('su.id', '=', 'w.user_id').on('w.user_kind', '=', 'staff'),
    )
    .leftJoin('client_users as cu', (join) =>
      join.onRef('cu.id', '=', 'w.user_id').on('w.user_kind', '=', 'client'),
    )
    .select([
      'w.id',
      'w.user_kind',
      'w.user_id',
      'w.csrf_token',
      'w.flash',
      'w.last_seen_at',
      'w.idle_expires_at',
      'w.expires_at',
      'su.id as staff_id',
      'su.name as staff_name',
      'su.email as staff_email',
      'su.password_hash as staff_password_hash',
      'su.role as staff_role',
      'su.department_id as staff_department_id',
      'cu.id as client_user_id',
      'cu.client_id as client_id',
      'cu.name as client_user_name',
      'cu.email as client_user_email',
      'cu.password_hash as client_user_password_hash',
    ])
    .where('w.token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row) return null;
  const session = await liveSession(ctx, row);
  if (!session) return null;
  const staff = row.user_kind === 'staff';
  return {
    session,
    user: {
      id: staff ? row.staff_id : row.client_user_id,
      name: staff ? row.staff_name : row.client_user_name,
      email: staff ? row.staff_email : row.client_user_email,
      passwordHash: staff ? row.staff_password_hash : row.client_user_password_hash,
      role: staff ? row.staff_role : null,
      departmentId: staff ? row.staff_department_id : null,
      clientId: staff ? null : row.client_id,
    },
  };
}

interface SessionRow {
  readonly id: number;
  readonly user_kind: string;
  readonly user_id: number;
  readonly csrf_token: string;
  readonly flash: string | null;
  readonly last_seen_at: string;
  readonly idle_expires_at: string;
  readonly expires_at: string;
}

/** Ends an expired session (null), else touches `last_seen_at` at most once a minute. */
async function liveSession(ctx: Ctx, row: SessionRow): Promise<PanelSession | null> {
  const now = ctx.clock.now();
  const at = now.toISOString();
  if (row.idle_expires_at <= at || row.expires_at <= at) {
    await ctx.db.kysely.deleteFrom('web_sessions').where('id', '=', row.id).execute();
    return null;
  }
  if (now.getTime() - Date.parse(row.last_seen_at) >= TOUCH_EVERY_MS) {
    const idle = new Date(now.getTime() + SESSION_IDLE_MS).toISOString();
    await ctx.db.kysely
      .updateTable('web_sessions')
      .set({ last_seen_at: at, idle_expires_at: idle < row.expires_at ? idle : row.expires_at })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    id: row.id,
    userKind: row.user_kind as SessionUserKind,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    flash: row.flash ? (JSON.parse(row.flash) as Flash) : null,
    expiresAt: row.expires_at,
  };
}

export async function endSession(ctx: Ctx, sessionId: number): Promise<void> {
  await ctx.db.kysely.deleteFrom('web_sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user (after a password change). */
export async function endUserSessions(ctx: Ctx, userKind: SessionUserKind, userId: number): Promise<void> {
  await ctx.db.kysely
    .deleteFrom('web_sessions')
    .where('user_kind', '=', userKind)
    .where('user_id', '=', userId)
    .execute();
}

/** Removes sessions past their absolute expiry (idle ones go when next presented). */
export async function purgeExpiredSessions(ctx: Ctx): Promise<number> {
  const r = await ctx.db.kysely
    .deleteFrom('web_sessions')
    .where('expires_at', '<=', ctx.clock.now().toISOString())
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function setSessionFlash(ctx: Ctx, sessionId: number, flash: Flash | null): Promise<void> {
  await ctx.db.kysely
    .updateTable('web_sessions')
    .set({ flash: flash ? JSON.stringify(flash) : null })
    .where('id', '=', sessionId)
    .execute();
}
