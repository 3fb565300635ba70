import type { Command } from 'commander';
import { startSimulator } from '../../../ca-simulator/server.ts';
import { AppError } from '../../core/errors/index.ts';
import { printError } from '../output.ts';

interface SimulatorFlags {
  port: string;
  host: string;
  user: string;
  password: string;
  balance?: string;
  currency?: string;
  allowIp?: string;
  state?: string;
  autoApprove?: boolean;
  validity: string;
  strict?: boolean;
  control: boolean;
  json?: boolean;
}

/**
 * `certbill simulator`: runs the GlobalSign simulator in the foreground until SIGINT/SIGTERM and
 * prints the base URL it serves (under --json: `{"baseUrl", "controlUrl"}`).
 *
 * @example certbill simulator --port 8443 --user PAR12345_api --password secret --auto-approve
 */
export function registerSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('Run the GlobalSign GCC API simulator (SOAP on /kb/ws/v1/, control calls on /_control/)')
    .option('--port <port>', 'TCP port (0 = any free port)', '8443')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .requiredOption('--user <user>', 'API user name of the simulated account')
    .requiredOption('--password <password>', 'API password of the simulated account')
    .option('--balance <amount>', 'initial balance when the account is created (default 1000.00)')
    .option('--currency <code>', 'account currency when the account is created (default USD)')
    .option(
      '--allow-ip <list>',
      'comma-separated source addresses/CIDRs allowed to call the API (default any)',
    )
    .option('--state <file>', 'keep the state in this JSON file (default in memory)')
    .option('--auto-approve', 'approve email orders at once and pass every HTTP/DNS check')
    .option('--validity <mode>', 'cap (at the limit) or globalsign (one day under it)', 'cap')
    .option('--strict', 'reject requests that are not valid against the XSD')
    .option('--no-control', 'do not serve /_control/')
    .option('--json', 'print the URLs as JSON')
    .action(async (flags: SimulatorFlags) => {
      try {
        const port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65_535)
          throw new AppError('CORE_VALIDATION', `--port must be 0..65535, not ${flags.port}.`);
        if (flags.validity !== 'cap' && flags.validity !== 'globalsign') {
          throw new AppError(
            'CORE_VALIDATION',
            `--validity must be cap or globalsign, not ${flags.validity}.`,
          );
        }
        const sim = await startSimulator({
          port,
          host: flags.host,
          user: flags.user,
          password: flags.password,
          balance: flags.balance,
          currency: flags.currency,
          allowIps: flags.allowIp
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
          stateFile: flags.state,
          autoApprove: flags.autoApprove ?? false,
          validity: flags.validity,
          strict: flags.strict ?? false,
          control: flags.control,
        });
        process.stdout.write(
          flags.json
            ? JSON.stringify({ baseUrl: sim.baseUrl, controlUrl: flags.control ? sim.controlUrl : null }) +
                '\n'
            : sim.baseUrl + '\n',
        );
        const stop = (): void => {
          void sim.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (e) {
        printError(e, Boolean(flags.json));
        process.exitCode = e instanceof AppError && e.kind === 'validation' ? 2 : 1;
      }
    });
}
