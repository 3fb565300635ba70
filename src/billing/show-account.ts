import type { Money } from '../core/money.ts';
import { getAccountOfClient, listLedgerEntries, type LedgerEntry } from './account-repository.ts';
import type { BillingContext } from './billing-context.ts';

export interface AccountStatement {
  readonly clientId: number;
  readonly accountId: number;
  readonly balance: Money;
  /** Oldest first. */
  readonly entries: readonly LedgerEntry[];
}

/**
 * A client's balance with its ledger entries.
 * @example await showAccount(ctx, 1) → { balance: { amountMinor: 8000, currency: 'USD' }, entries: [credit, charge] }
 */
export async function showAccount(ctx: BillingContext, clientId: number): Promise<AccountStatement> {
  const account = await getAccountOfClient(ctx.db.kysely, clientId);
  const entries = await listLedgerEntries(ctx.db.kysely, account.id);
  return { clientId, accountId: account.id, balance: account.balance, entries };
}
