import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/errors/index.ts';
import { formatMoney, type Money } from '../../core/money.ts';
import { addProcessingModule } from '../../provisioning/add-processing-module.ts';
import { checkProcessingModule } from '../../provisioning/check-processing-module.ts';
import {
  getProcessingModule,
  listProcessingModules,
  type ProcessingModuleView,
} from '../../provisioning/module-repository.ts';
import type { ProvisioningContext } from '../../provisioning/provisioning-context.ts';
import { refreshModuleBalance } from '../../provisioning/refresh-module-balance.ts';
import { updateProcessingModule } from '../../provisioning/update-processing-module.ts';
import { exitCodeFor, requireOption, type OutputOptions } from '../output.ts';
import { withAppContext } from './with-app-context.ts';

/** Runs a command body with a provisioning context and closes what it opened. */
export type ProvisioningRunner = <R>(run: (ctx: ProvisioningContext) => Promise<R>) => Promise<R>;

export interface ModuleCommandOptions {
  /** Default: the application context over DATABASE_URL, with its module registry. */
  readonly withContext?: ProvisioningRunner;
}

const defaultRunner: ProvisioningRunner = (run) => withAppContext((ctx) => run(ctx));

/**
 * Like `withOutput`, but a failure prints the error's details too (`{"error":{"code","message","details"}}`
 * under --json): the connection check's cause and hints are what the admin needs.
 */
function withModuleOutput<O extends OutputOptions, R>(
  run: (opts: O, ...args: string[]) => Promise<R>,
  human: (result: R) => string,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const positional = args.slice(0, -2) as string[];
    const opts = (args[args.length - 2] ?? {}) as O;
    try {
      const result = await run(opts, ...positional);
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : human(result) + '\n');
    } catch (e) {
      if (opts.json) {
        const error = isAppError(e)
          ? e.toJSON()
          : { code: 'CORE_INTERNAL', message: e instanceof Error ? e.message : String(e) };
        process.stdout.write(JSON.stringify({ error }) + '\n');
      } else {
        process.stderr.write(`certbill: ${e instanceof Error ? e.message : String(e)}\n`);
      }
      process.exitCode = exitCodeFor(e);
    }
  };
}

function moduleId(text: string): number {
  const id = Number(requireOption(text, '<moduleId>', 'a processing module id'));
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new AppError(
      'CORE_VALIDATION',
      `"${text}" is not a processing module id (a positive whole number).`,
      {
        option: '<moduleId>',
      },
    );
  }
  return id;
}

function amount(m: Money | null): string {
  return m ? `${formatMoney(m)} ${m.currency}` : '-';
}

function describeModule(m: ProcessingModuleView): string {
  return [
    `Processing module ${m.id} "${m.name}" (${m.kind}${m.enabled ? '' : ', disabled'})`,
    `  Username: ${m.username}`,
    `  Demo: ${m.demo ? 'on' : 'off'}${m.url ? `, URL ${m.url}` : ''}`,
    `  IP address: ${m.sourceAddress ?? 'none'}`,
    `  Department: ${m.department?.name ?? '-'}`,
    `  Sort: ${m.sort}`,
    `  Minimal balance: ${amount(m.minBalance)}`,
    `  Timeouts: ${m.connectTimeoutSeconds} s to connect, ${m.readTimeoutSeconds} s to read`,
    `  Balance: ${amount(m.balance)}${m.balanceReadAt ? ` (read ${m.balanceReadAt})` : ''}${m.balanceBelowMinimum ? ' — below the minimal balance' : ''}`,
  ].join('\n');
}

interface AddOptions extends OutputOptions {
  name?: string;
  username?: string;
  password?: string;
  demo?: boolean;
  url?: string;
  ip?: string;
  department?: string;
  sort?: string;
  minBalance?: string;
  connectTimeout?: string;
  readTimeout?: string;
}

interface EditOptions extends AddOptions {
  enable?: boolean;
  disable?: boolean;
}

/**
 * `certbill module add|check|balance|list|show|edit`: the processing module wizard and its
 * modules from the shell. `module add` checks the connection first and saves nothing when it fails.
 *
 * @example registerModuleCommands(program); // certbill module add globalsign --name GS --username u --password p --demo
 */
export function registerModuleCommands(program: Command, options: ModuleCommandOptions = {}): void {
  const withContext = options.withContext ?? defaultRunner;
  const module = program
    .command('module')
    .description('Processing modules: connections to certificate authorities');

  module
    .command('add')
    .description('Add a processing module after checking its connection (the wizard in one command)')
    .argument('<kind>', 'the processing module, e.g. globalsign')
    .option('--name <name>', 'name shown in the interface')
    .option('--username <user>', 'the API user at the certificate authority')
    .option('--password <password>', 'the API password (stored encrypted, never shown)')
    .option('--demo', "use the certificate authority's test system")
    .option('--url <base URL>', 'where the API is (overrides --demo)')
    .option('--ip <source address>', 'local IP address API requests leave from, or "none"')
    .option('--department <name>', 'department that gets the tasks of this module')
    .option('--sort <n>', 'priority; the lowest is tried first', '1')
    .option('--min-balance <amount>', "minimal balance, in the CA account's currency")
    .option('--connect-timeout <seconds>', 'seconds to connect to the CA (default 10)')
    .option('--read-timeout <seconds>', "seconds to wait for the CA's answer (default 60)")
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async (opts: AddOptions, kind: string) => {
          const added = await withContext((ctx) =>
            addProcessingModule(ctx, {
              kind,
              name: requireOption(opts.name, '--name', 'the name shown in the interface'),
              username: requireOption(opts.username, '--username', 'the API user'),
              password: requireOption(opts.password, '--password', 'the API password'),
              demo: Boolean(opts.demo),
              url: opts.url ?? null,
              sourceAddress: opts.ip ?? null,
              department: opts.department ?? null,
              sort: opts.sort ?? null,
              minBalance: opts.minBalance ?? null,
              connectTimeout: opts.connectTimeout ?? null,
              readTimeout: opts.readTimeout ?? null,
            }),
          );
          return { id: added.module.id, module: added.module };
        },
        (r) => `Processing module ${r.id} "${r.module.name}" added; balance ${amount(r.module.balance)}.`,
      ),
    );

  module
    .command('check')
    .description('Check the connection of a processing module now')
    .argument('<moduleId>')
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async (_opts: OutputOptions, id: string) => {
          const checked = await withContext((ctx) => checkProcessingModule(ctx, moduleId(id)));
          return {
            id: checked.module.id,
            ok: true,
            balance: checked.check.balance ?? null,
            checkedAt: checked.module.lastCheckAt,
          };
        },
        (r) =>
          `Processing module ${r.id}: connection OK${r.balance ? `, balance ${amount(r.balance)}` : ''}.`,
      ),
    );

  module
    .command('balance')
    .description("Read the certificate authority account's balance now and store it")
    .argument('<moduleId>')
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async (_opts: OutputOptions, id: string) => {
          const r = await withContext((ctx) => refreshModuleBalance(ctx, moduleId(id)));
          return {
            balance: r.balance,
            readAt: r.readAt,
            minBalance: r.minBalance,
            belowMinimum: r.belowMinimum,
            crossedBelowMinimum: r.crossedBelowMinimum,
          };
        },
        (r) =>
          `Balance ${amount(r.balance)} (read ${r.readAt})${r.belowMinimum ? `, below the minimal balance ${amount(r.minBalance)}` : ''}.`,
      ),
    );

  module
    .command('list')
    .description('List processing modules, lowest Sort first')
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async () => ({ modules: await withContext((ctx) => listProcessingModules(ctx)) }),
        (r) =>
          r.modules.length === 0
            ? 'No processing modules.'
            : r.modules
                .map(
                  (m) =>
                    `${m.id}\t${m.name}\t${m.kind}\tsort ${m.sort}\t${m.enabled ? 'enabled' : 'disabled'}\t${amount(m.balance)}`,
                )
                .join('\n'),
      ),
    );

  module
    .command('show')
    .description('Show a processing module (never its password)')
    .argument('<moduleId>')
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async (_opts: OutputOptions, id: string) =>
          withContext((ctx) => getProcessingModule(ctx, moduleId(id))),
        describeModule,
      ),
    );

  module
    .command('edit')
    .description('Change a processing module; new credentials, Demo, URL or IP address are checked first')
    .argument('<moduleId>')
    .option('--name <name>')
    .option('--username <user>')
    .option('--password <password>')
    .option('--demo', 'use the test system')
    .option('--no-demo', 'use production')
    .option('--url <base URL>', 'where the API is; "" to let Demo decide')
    .option('--ip <source address>', 'local IP address, or "none"')
    .option('--department <name>', 'department; "" for none')
    .option('--sort <n>')
    .option('--min-balance <amount>', 'minimal balance; "" for none')
    .option('--connect-timeout <seconds>', 'seconds to connect to the CA; "" for the default (10)')
    .option('--read-timeout <seconds>', 'seconds to wait for the CA\'s answer; "" for the default (60)')
    .option('--enable', 'use the module again')
    .option('--disable', 'stop using the module for new orders')
    .option('--json', 'machine-readable output')
    .action(
      withModuleOutput(
        async (opts: EditOptions, id: string) => {
          const r = await withContext((ctx) =>
            updateProcessingModule(ctx, moduleId(id), {
              ...(opts.name !== undefined ? { name: opts.name } : {}),
              ...(opts.username !== undefined ? { username: opts.username } : {}),
              ...(opts.password !== undefined ? { password: opts.password } : {}),
              ...(opts.demo !== undefined ? { demo: opts.demo } : {}),
              ...(opts.url !== undefined ? { url: opts.url || null } : {}),
              ...(opts.ip !== undefined ? { sourceAddress: opts.ip } : {}),
              ...(opts.department !== undefined ? { department: opts.department || null } : {}),
              ...(opts.sort !== undefined ? { sort: opts.sort } : {}),
              ...(opts.minBalance !== undefined ? { minBalance: opts.minBalance || null } : {}),
              ...(opts.connectTimeout !== undefined ? { connectTimeout: opts.connectTimeout || null } : {}),
              ...(opts.readTimeout !== undefined ? { readTimeout: opts.readTimeout || null } : {}),
              ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
            }),
          );
          return { id: r.module.id, rechecked: r.rechecked, module: r.module };
        },
        (r) => `Processing module ${r.id} updated${r.rechecked ? ' (connection checked)' : ''}.`,
      ),
    );
}
