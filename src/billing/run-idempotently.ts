import { createHash, randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Database as Schema } from '../db/schema.ts';
import type { BillingContext } from './billing-context.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { readJsonColumn } from '../db/json-column.ts';

export interface IdempotentCall {
  /** What the call does: `order`, `credit`, `cancel`. */
  readonly operation: string;
  /** Whose keys these are, so two clients' keys never collide: `client:7`. */
  readonly owner: string;
  /** The caller's key (`Idempotency-Key` header, `--idempotency-key`). */
  readonly key: string;
  /** The request as given; the same key with a different request is refused. */
  readonly request: unknown;
}

export interface IdempotentResult<R> {
  readonly result: R;
  /** True when the key was seen before and this is the first call's result. */
  readonly replayed: boolean;
}

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

/** A fresh idempotency key for callers that did not bring one (a CLI run without --idempotency-key). */
export function newIdempotencyKey(): string {
  return randomUUID();
}

export function assertIdempotencyKey(key: string): string {
  if (!KEY_RE.test(key)) {
    throw new AppError(
      'BILLING_IDEMPOTENCY_KEY_INVALID',
      'The idempotency key must be 1 to 200 printable ASCII characters without spaces, e.g. a UUID.',
      { length: key.length },
    );
  }
  return key;
}

/**
 * Runs `work` in one transaction at most once per (operation, owner, key): the key row and the
 * first result are written in the same transaction as the work, and the key's primary key refuses
 * a second one. A repeat gets the stored result (`replayed: true`); the same key with a different
 * request is refused with BILLING_IDEMPOTENCY_KEY_REUSED. A failed call stores nothing, so the key
 * may be retried after fixing the cause (e.g. adding money).
 *
 * On PostgreSQL the key row is inserted first, so a concurrent duplicate waits on it and then reads
 * the first result. SQLite runs one transaction at a time, so the row is inserted last with the
 * result (one statement less per call); a duplicate whose work fails because the first call changed
 * the state (the balance is spent) still finds the key and replays.
 * @example
 *   const { result, replayed } = await runIdempotently(ctx,
 *     { operation: 'credit', owner: 'account:7', key: 'k-1', request: { amount: '100.00' } },
 *     (trx) => creditInside(trx));
 */
export async function runIdempotently<R>(
  ctx: BillingContext,
  call: IdempotentCall,
  work: (trx: Transaction<Schema>) => Promise<R>,
): Promise<IdempotentResult<R>> {
  const key = assertIdempotencyKey(call.key);
  const requestHash = hashRequest(call.request);
  const keyFirst = ctx.db.dialect !== 'sqlite';
  const row = (response: string | null) => ({
    operation: call.operation,
    owner: call.owner,
    key,
    request_hash: requestHash,
    response,
    created_at: ctx.clock.now().toISOString(),
  });
  const insertKey = async (trx: Transaction<Schema>, response: string | null) => {
    try {
      await trx.insertInto('idempotency_keys').values(row(response)).execute();
    } catch (e) {
      throw isUniqueViolation(e) ? new KeySeen() : e;
    }
  };
  try {
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      if (keyFirst) await insertKey(trx, null);
      const value = await work(trx);
      if (keyFirst) {
        await trx
          .updateTable('idempotency_keys')
          .set({ response: JSON.stringify(value) })
          .where('operation', '=', call.operation)
          .where('owner', '=', call.owner)
          .where('key', '=', key)
          .execute();
      } else {
        await insertKey(trx, JSON.stringify(value));
      }
      return value;
    });
    return { result, replayed: false };
  } catch (e) {
    if (e instanceof KeySeen)
      return { result: await storedResult<R>(ctx, call, requestHash), replayed: true };
    if (!keyFirst && (await storedRow(ctx, call))) {
      return { result: await storedResult<R>(ctx, call, requestHash), replayed: true };
    }
    throw e;
  }
}

function storedRow(ctx: BillingContext, call: IdempotentCall) {
  return ctx.db.kysely
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('operation', '=', call.operation)
    .where('owner', '=', call.owner)
    .where('key', '=', call.key)
    .executeTakeFirst();
}

async function storedResult<R>(ctx: BillingContext, call: IdempotentCall, requestHash: string): Promise<R> {
  const row = await storedRow(ctx, call);
  if (!row) throw new Error(`idempotency key ${call.key} vanished after a unique violation`);
  if (row.request_hash !== requestHash) {
    throw new AppError(
      'BILLING_IDEMPOTENCY_KEY_REUSED',
      `The idempotency key "${call.key}" was already used for a different ${call.operation} request; use a fresh key.`,
      { operation: call.operation, key: call.key },
    );
  }
  return readJsonColumn<R>(row.response) as R;
}

/** Canonical JSON (sorted keys, undefined dropped) hashed with SHA-256. */
export function hashRequest(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

class KeySeen extends Error {}
