import type { Command } from 'commander';
import {
  createApiToken,
  formatScope,
  listApiTokens,
  revokeApiToken,
} from '../../billing/api-token-repository.ts';
import { readId } from '../../billing/read-text.ts';
import { AppError } from '../../core/errors/index.ts';
import { withOutput } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

/** `certbill token create|list|revoke`: API tokens for automation. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens (Authorization: Bearer <token>)');

  token
    .command('create')
    .description('Create an API token and print it once (only its hash is stored)')
    .option('--admin', 'full access')
    .option('--client <id>', "access to one client's own client, account and services")
    .option('--label <text>', 'what the token is for')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (opts: { admin?: boolean; client?: string; label?: string; json?: boolean }) => {
          if (Boolean(opts.admin) === (opts.client !== undefined)) {
            throw new AppError('CORE_VALIDATION', 'Give exactly one of --admin or --client <id>.');
          }
          const scope = opts.admin
            ? ({ kind: 'admin' } as const)
            : ({ kind: 'client', clientId: readId(opts.client ?? '', 'client id') } as const);
          const created = await withAppContext((ctx) => createApiToken(ctx, { scope, label: opts.label }));
          return {
            id: created.id,
            scope: formatScope(created.scope),
            label: created.label,
            token: created.token,
          };
        },
        (r) => `Token ${r.id} (${r.scope}) — shown once, keep it safe:\n${r.token}`,
      ),
    );

  token
    .command('list')
    .description('List API tokens (without their secrets)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async () => {
          const tokens = await withAppContext((ctx) => listApiTokens(ctx));
          return { tokens: tokens.map((t) => ({ ...t, scope: formatScope(t.scope) })) };
        },
        (r) =>
          r.tokens.length
            ? r.tokens
                .map((t) => `${t.id}\t${t.scope}\t${t.label ?? ''}\t${t.revokedAt ? 'revoked' : 'live'}`)
                .join('\n')
            : 'No tokens.',
      ),
    );

  token
    .command('revoke')
    .description('Revoke an API token')
    .argument('<tokenId>', 'the token id')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async (_opts: object, id: string) => {
          const tokenId = readId(id, 'token id');
          await withAppContext((ctx) => revokeApiToken(ctx, tokenId));
          return { id: tokenId, revoked: true };
        },
        (r) => `Token ${r.id} revoked.`,
      ),
    );
}
