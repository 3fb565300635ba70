import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import { formatMoney, money, type Money } from '../core/money.ts';
import type { Database as Schema } from '../db/schema.ts';
import { toLedgerEntry, type LedgerEntry, type LedgerKind } from './account-repository.ts';
import { isUniqueViolation } from './is-unique-violation.ts';

export interface LedgerPosting {
  readonly accountId: number;
  readonly kind: LedgerKind;
  /** Signed: positive for credit and refund, negative for charge, either for adjustment (never 0). */
  readonly amount: Money;
  /** Unique across the ledger, so a repeated call cannot move money twice: `charge:service:42`. */
  readonly reference: string;
  readonly serviceId?: number | null;
  readonly note?: string | null;
  /** How a refused debit is named in the message: "the order costs 120.00 USD". */
  readonly purpose?: string;
}

const SIGNS: Record<LedgerKind, 1 | -1 | 0> = { credit: 1, refund: 1, charge: -1, adjustment: 0 };

/**
 * The only writer of ledger entries and account balances. It moves the cached
 * `accounts.balance_minor` by the amount with one atomic `UPDATE … SET balance = balance + ?` that
 * refuses to go below zero, then inserts the entry with the balance after it; both in the caller's
 * transaction, so the balance always equals the sum of the entries. Concurrent postings on
 * PostgreSQL queue on the account row and each sees the committed balance.
 * @example
 *   await db.kysely.transaction().execute((trx) => postLedgerEntry(trx, clock.now(),
 *     { accountId: 1, kind: 'charge', amount: money(-12000, 'USD'), reference: 'charge:service:7', serviceId: 7 }));
 */
export async function postLedgerEntry(
  trx: Kysely<Schema>,
  at: Date,
  posting: LedgerPosting,
): Promise<LedgerEntry> {
  const { amount, kind } = posting;
  const sign = SIGNS[kind];
  if (amount.amountMinor === 0 || (sign !== 0 && Math.sign(amount.amountMinor) !== sign)) {
    throw new AppError(
      'BILLING_AMOUNT_NOT_POSITIVE',
      `A ${kind} must ${sign === 0 ? 'not be zero' : `be ${sign > 0 ? 'positive' : 'negative'}`}; got ${formatMoney(amount)} ${amount.currency}.`,
      { kind, amountMinor: amount.amountMinor },
    );
  }
  const updated = await trx
    .updateTable('accounts')
    .set((eb) => ({ balance_minor: eb('balance_minor', '+', amount.amountMinor) }))
    .where('id', '=', posting.accountId)
    .where('currency', '=', amount.currency)
    .where((eb) => eb(eb('balance_minor', '+', amount.amountMinor), '>=', 0))
    .returning('balance_minor')
    .executeTakeFirst();
  if (!updated) throw await refusal(trx, posting);

  try {
    const row = await trx
      .insertInto('ledger_entries')
      .values({
        account_id: posting.accountId,
        kind,
        amount_minor: amount.amountMinor,
        currency: amount.currency,
        balance_after_minor: updated.balance_minor,
        reference: posting.reference,
        service_id: posting.serviceId ?? null,
        note: posting.note ?? null,
        created_at: at.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toLedgerEntry(row);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new AppError(
      'BILLING_LEDGER_REFERENCE_TAKEN',
      `The money movement ${posting.reference} was already recorded; nothing was moved again.`,
      { reference: posting.reference },
    );
  }
}

/** Why the guarded UPDATE matched no row: no account, another currency, or not enough money. */
async function refusal(trx: Kysely<Schema>, posting: LedgerPosting): Promise<AppError> {
  const account = await trx
    .selectFrom('accounts')
    .select(['balance_minor', 'currency'])
    .where('id', '=', posting.accountId)
    .executeTakeFirst();
  if (!account) {
    return new AppError('BILLING_CLIENT_NOT_FOUND', `Account ${posting.accountId} does not exist.`, {
      accountId: posting.accountId,
    });
  }
  if (account.currency !== posting.amount.currency) {
    return currencyMismatch(posting.amount.currency, account.currency);
  }
  return insufficientBalance(
    money(-posting.amount.amountMinor, account.currency),
    money(account.balance_minor, account.currency),
    posting.purpose ?? `the ${posting.kind}`,
  );
}

/**
 * @example insufficientBalance(USD 120.00, USD 50.00, 'the order')
 *   → "Insufficient balance: the order costs 120.00 USD, the balance is 50.00 USD; add 70.00 USD."
 */
export function insufficientBalance(cost: Money, balance: Money, purpose: string): AppError {
  const missing = money(cost.amountMinor - balance.amountMinor, cost.currency);
  return new AppError(
    'BILLING_INSUFFICIENT_BALANCE',
    `Insufficient balance: ${purpose} costs ${formatMoney(cost)} ${cost.currency}, the balance is ${formatMoney(balance)} ${balance.currency}; add ${formatMoney(missing)} ${missing.currency}.`,
    {
      costMinor: cost.amountMinor,
      balanceMinor: balance.amountMinor,
      missingMinor: missing.amountMinor,
      currency: cost.currency,
    },
  );
}

export function currencyMismatch(given: string, account: string): AppError {
  return new AppError(
    'BILLING_CURRENCY_MISMATCH',
    `The amount is in ${given} but the account is in ${account}; use ${account}.`,
    { currency: given, accountCurrency: account },
  );
}
