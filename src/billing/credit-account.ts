import { AppError } from '../core/errors/index.ts';
import { parseMoney, type Money } from '../core/money.ts';
import { getAccountOfClient, type Account, type LedgerEntry, type LedgerKind } from './account-repository.ts';
import type { BillingContext } from './billing-context.ts';
import { currencyMismatch, postLedgerEntry } from './post-ledger-entry.ts';
import { runIdempotently } from './run-idempotently.ts';

export interface CreditAccountInput {
  readonly clientId: number;
  /** Decimal string in the account's currency: "100.00". */
  readonly amount: string;
  /** When given, must be the account's currency. */
  readonly currency?: string;
  readonly idempotencyKey: string;
  readonly note?: string;
}

export interface BalanceMovement {
  readonly entry: LedgerEntry;
  readonly balance: Money;
  /** True when the idempotency key was seen before and nothing moved this time. */
  readonly replayed: boolean;
}

/**
 * Adds money to a client's balance (a payment received): a `credit` ledger entry.
 * @example await creditAccount(ctx, { clientId: 1, amount: '100.00', idempotencyKey: 'pay-981' })
 *   → { balance: { amountMinor: 10000, currency: 'USD' }, entry: { kind: 'credit', … }, replayed: false }
 */
export async function creditAccount(
  ctx: BillingContext,
  input: CreditAccountInput,
): Promise<BalanceMovement> {
  return moveBalance(ctx, 'credit', input);
}

export interface AdjustAccountInput extends CreditAccountInput {
  /** Why the balance is corrected; kept on the entry. */
  readonly note: string;
}

/**
 * Corrects a client's balance by a signed amount (an `adjustment` entry); never below zero.
 * @example await adjustAccount(ctx, { clientId: 1, amount: '-5.00', note: 'duplicate bank fee', idempotencyKey: 'adj-3' })
 */
export async function adjustAccount(
  ctx: BillingContext,
  input: AdjustAccountInput,
): Promise<BalanceMovement> {
  return moveBalance(ctx, 'adjustment', input);
}

async function moveBalance(
  ctx: BillingContext,
  kind: Extract<LedgerKind, 'credit' | 'adjustment'>,
  input: CreditAccountInput,
): Promise<BalanceMovement> {
  const account = await getAccountOfClient(ctx.db.kysely, input.clientId);
  const amount = readAmount(account, input, kind);
  const { result, replayed } = await runIdempotently(
    ctx,
    {
      operation: kind,
      owner: `account:${account.id}`,
      key: input.idempotencyKey,
      request: { amountMinor: amount.amountMinor, currency: amount.currency, note: input.note ?? null },
    },
    async (trx) => {
      const entry = await postLedgerEntry(trx, ctx.clock.now(), {
        accountId: account.id,
        kind,
        amount,
        reference: `${kind}:account:${account.id}:${input.idempotencyKey}`,
        note: input.note?.trim() || null,
      });
      return { entry, balance: entry.balanceAfter };
    },
  );
  return { ...result, replayed };
}

function readAmount(account: Account, input: CreditAccountInput, kind: LedgerKind): Money {
  const currency = account.balance.currency;
  if (input.currency !== undefined && input.currency.trim().toUpperCase() !== currency) {
    throw currencyMismatch(input.currency.trim().toUpperCase(), currency);
  }
  const amount = parseMoney(input.amount, currency);
  const positiveOnly = kind === 'credit';
  if (amount.amountMinor === 0 || (positiveOnly && amount.amountMinor < 0)) {
    throw new AppError(
      'BILLING_AMOUNT_NOT_POSITIVE',
      positiveOnly
        ? `A credit must be a positive amount; got "${input.amount}".`
        : `An adjustment must not be zero; got "${input.amount}".`,
      { amount: input.amount },
    );
  }
  return amount;
}
