import type { Command } from 'commander';
import { addClient } from '../../billing/add-client.ts';
import { listClients } from '../../billing/client-repository.ts';
import { formatMoney } from '../../core/money.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

interface ClientAddOptions {
  email: string;
  name: string;
  currency?: string;
  json?: boolean;
}

/** `certbill client add|list`. */
export function registerClientCommands(program: Command): void {
  const client = program.command('client').description('Clients, their users and accounts');

  client
    .command('add')
    .description('Create a client with its first user and an account (balance 0)')
    .requiredOption('--email <email>', "the first user's e-mail address")
    .requiredOption('--name <name>', 'the client name (also the first user name)')
    .option('--currency <code>', 'currency of the account', 'USD')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: ClientAddOptions) => {
          const created = await withAppContext((ctx) =>
            addClient(ctx, { email: opts.email, name: opts.name, currency: opts.currency }),
          );
          return {
            id: created.id,
            name: created.name,
            email: created.users[0]?.email ?? opts.email,
            accountId: created.accountId,
            balance: created.balance,
          };
        },
        (c) =>
          `Client ${c.id} "${c.name}" created (${c.email}), balance ${formatMoney(c.balance)} ${c.balance.currency}.`,
      ),
    );

  client
    .command('list')
    .description('List clients, newest first')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async () => ({ clients: await withAppContext((ctx) => listClients(ctx.db.kysely)) }),
        (r) =>
          r.clients.length === 0
            ? 'No clients.'
            : r.clients
                .map(
                  (c) =>
                    `${c.id}\t${c.name}\t${c.users[0]?.email ?? ''}\t${formatMoney(c.balance)} ${c.balance.currency}`,
                )
                .join('\n'),
      ),
    );
}
