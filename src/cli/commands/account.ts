import type { Command } from 'commander';
import { adjustAccount, creditAccount, type BalanceMovement } from '../../billing/credit-account.ts';
import { readId } from '../../billing/read-text.ts';
import { newIdempotencyKey } from '../../billing/run-idempotently.ts';
import { showAccount } from '../../billing/show-account.ts';
import { formatMoney, type Money } from '../../core/money.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface MoveOptions {
  currency?: string;
  note?: string;
  amount?: string;
  idempotencyKey?: string;
  json?: boolean;
}

const show = (m: Money) => `${formatMoney(m)} ${m.currency}`;

function movement(r: BalanceMovement) {
  return { balance: r.balance, entry: r.entry, replayed: r.replayed };
}

/** `certbill account credit|adjust|show`. */
export function registerAccountCommands(program: Command): void {
  const account = program.command('account').description("Clients' balances and their ledger");

  account
    .command('credit')
    .description("Add money to a client's balance (a payment received)")
    .argument('<clientId>', 'the client')
    .argument('<amount>', "decimal amount in the account's currency, e.g. 100.00")
    .option('--currency <code>', "must be the account's currency when given")
    .option('--note <text>', 'kept on the ledger entry')
    .option('--idempotency-key <key>', 'repeat with the same key to credit once (default: a fresh key)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: MoveOptions, clientId: string, amount: string) =>
          movement(
            await withAppContext((ctx) =>
              creditAccount(ctx, {
                clientId: readId(clientId, 'client id'),
                amount,
                currency: opts.currency,
                note: opts.note,
                idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
              }),
            ),
          ),
        (r) =>
          `${r.replayed ? 'Already credited' : 'Credited'} ${show(r.entry.amount)}; balance ${show(r.balance)}.`,
      ),
    );

  account
    .command('adjust')
    .description("Correct a client's balance by a signed amount (never below zero)")
    .argument('<clientId>', 'the client')
    .requiredOption('--amount <amount>', 'signed decimal amount, e.g. -5.00 or 12.50')
    .requiredOption('--note <text>', 'why the balance is corrected')
    .option('--currency <code>', "must be the account's currency when given")
    .option('--idempotency-key <key>', 'repeat with the same key to adjust once (default: a fresh key)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: MoveOptions, clientId: string) =>
          movement(
            await withAppContext((ctx) =>
              adjustAccount(ctx, {
                clientId: readId(clientId, 'client id'),
                amount: opts.amount ?? '',
                currency: opts.currency,
                note: opts.note ?? '',
                idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
              }),
            ),
          ),
        (r) => `Adjusted by ${show(r.entry.amount)}; balance ${show(r.balance)}.`,
      ),
    );

  account
    .command('show')
    .description("Show a client's balance and ledger entries, oldest first")
    .argument('<clientId>', 'the client')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: MoveOptions, clientId: string) => {
          const statement = await withAppContext((ctx) => showAccount(ctx, readId(clientId, 'client id')));
          return { clientId: statement.clientId, balance: statement.balance, entries: statement.entries };
        },
        (r) =>
          [
            `Balance ${show(r.balance)}`,
            ...r.entries.map(
              (e) =>
                `${e.createdAt}\t${e.kind}\t${show(e.amount)}\t${e.reference}${e.note ? `\t${e.note}` : ''}`,
            ),
          ].join('\n'),
      ),
    );
}
