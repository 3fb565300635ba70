import type { Kysely, Selectable } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import { storedMoney } from './stored-money.ts';
import type { AccountsTable, Database as Schema, LedgerEntriesTable } from '../db/schema.ts';

export const LEDGER_KINDS = ['credit', 'charge', 'refund', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface Account {
  readonly id: number;
  readonly clientId: number;
  readonly balance: Money;
  readonly createdAt: string;
}

/** One money movement; `amount` is signed: credits and refunds add, charges subtract. */
export interface LedgerEntry {
  readonly id: number;
  readonly accountId: number;
  readonly kind: LedgerKind;
  readonly amount: Money;
  readonly balanceAfter: Money;
  readonly reference: string;
  readonly serviceId: number | null;
  readonly note: string | null;
  readonly createdAt: string;
}

export function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    clientId: row.client_id,
    balance: storedMoney(row.balance_minor, row.currency),
    createdAt: row.created_at,
  };
}

export function toLedgerEntry(row: Selectable<LedgerEntriesTable>): LedgerEntry {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind as LedgerKind,
    amount: storedMoney(row.amount_minor, row.currency),
    balanceAfter: storedMoney(row.balance_after_minor, row.currency),
    reference: row.reference,
    serviceId: row.service_id,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** The account of a client; every client has exactly one. */
export async function findAccountOfClient(db: Kysely<Schema>, clientId: number): Promise<Account | null> {
  const row = await db
    .selectFrom('accounts')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function getAccountOfClient(db: Kysely<Schema>, clientId: number): Promise<Account> {
  const account = await findAccountOfClient(db, clientId);
  if (!account)
    throw new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${clientId} does not exist.`, { clientId });
  return account;
}

/** Entries of an account, oldest first. */
export async function listLedgerEntries(
  db: Kysely<Schema>,
  accountId: number,
  opts: { limit?: number } = {},
): Promise<LedgerEntry[]> {
  let query = db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'asc');
  if (opts.limit !== undefined) query = query.limit(opts.limit);
  return (await query.execute()).map(toLedgerEntry);
}

/** SUM(amount) of an account's entries: what the cached balance must always equal. */
export async function sumLedgerEntries(db: Kysely<Schema>, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount_minor'), eb.lit(0)).as('total'))
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}
