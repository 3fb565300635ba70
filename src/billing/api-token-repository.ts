import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors/index.ts';
import type { BillingContext } from './billing-context.ts';
import { getClient } from './client-repository.ts';
import { readText } from './read-text.ts';

/** What a token may do: everything (`admin`), or one client's own things (`client:<id>`). */
export type ApiScope = { readonly kind: 'admin' } | { readonly kind: 'client'; readonly clientId: number };

export interface ApiToken {
  readonly id: number;
  readonly scope: ApiScope;
  readonly label: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface CreatedApiToken extends ApiToken {
  /** The secret, shown once; only its SHA-256 hash is stored. */
  readonly token: string;
}

/** `admin` or `client:7`. */
export function formatScope(scope: ApiScope): string {
  return scope.kind === 'admin' ? 'admin' : `client:${scope.clientId}`;
}

export function parseScope(text: string): ApiScope {
  if (text === 'admin') return { kind: 'admin' };
  const m = /^client:(\d+)$/.exec(text);
  if (m) return { kind: 'client', clientId: Number(m[1]) };
  throw new AppError('BILLING_INVALID_INPUT', `Token scope "${text}" is neither admin nor client:<id>.`, {
    field: 'scope',
  });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates an API token for automation and returns its secret once.
 * @example await createApiToken(ctx, { scope: { kind: 'client', clientId: 7 }, label: 'deploy' })
 *   → { id: 3, token: 'cb_4Jx…', scope: { kind: 'client', clientId: 7 }, … }
 */
export async function createApiToken(
  ctx: BillingContext,
  input: { scope: ApiScope; label?: string | null },
): Promise<CreatedApiToken> {
  if (input.scope.kind === 'client') await getClient(ctx.db.kysely, input.scope.clientId);
  const label = input.label == null ? null : readText(input.label, 'token label');
  const token = `cb_${randomBytes(32).toString('base64url')}`;
  const createdAt = ctx.clock.now().toISOString();
  const row = await ctx.db.kysely
    .insertInto('api_tokens')
    .values({ token_hash: hashToken(token), scope: formatScope(input.scope), label, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, scope: input.scope, label, createdAt, revokedAt: null };
}

/** The scope of a live token, or null for an unknown or revoked one. */
export async function findTokenScope(ctx: BillingContext, token: string): Promise<ApiScope | null> {
  const row = await ctx.db.kysely
    .selectFrom('api_tokens')
    .select(['scope', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;
  return parseScope(row.scope);
}

/**
 * Revokes a token; later requests with it get 401.
 * @example await revokeApiToken(ctx, 3)
 */
export async function revokeApiToken(ctx: BillingContext, id: number): Promise<void> {
  await ctx.db.kysely
    .updateTable('api_tokens')
    .set({ revoked_at: ctx.clock.now().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function listApiTokens(ctx: BillingContext): Promise<ApiToken[]> {
  const rows = await ctx.db.kysely.selectFrom('api_tokens').selectAll().orderBy('id', 'asc').execute();
  return rows.map((r) => ({
    id: r.id,
    scope: parseScope(r.scope),
    label: r.label,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}
