import { Command } from 'commander';
import { buildJobHandlers, readVersion } from '../compose.ts';
import { registerAccountCommands } from './commands/account.ts';
import { registerClientCommands } from './commands/client.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerJobsCommands } from './commands/jobs.ts';
import { registerMailCommands } from './commands/mail.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerModuleCommands } from './commands/module.ts';
import { registerOrderCommand } from './commands/order.ts';
import { registerPlanCommand } from './commands/plan.ts';
import { registerQuoteCommand } from './commands/quote.ts';
import { registerApproversCommand } from './commands/approvers.ts';
import { registerReissueCommands } from './commands/reissue.ts';
import { registerServiceCommands } from './commands/service.ts';
import { registerServiceCertificateCommands } from './commands/service-certificate.ts';
import { registerSimulatorCommand } from './commands/simulator.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerTariffCommands } from './commands/tariff.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerUserCommands } from './commands/user.ts';

/**
 * The `certbill` command line. Every command takes `--json`; the stable part (names, flags, JSON
 * fields) is fixed in the CLI reference (docs/cli.md).
 */
export function buildProgram(): Command {
  const program = new Command('certbill')
    .description('Billing and automatic lifecycle of GlobalSign SSL certificates.')
    .version(readVersion())
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? '' : s) });
  registerStartCommand(program);
  registerMigrateCommand(program);
  registerConfigCommands(program);
  registerClientCommands(program);
  registerAccountCommands(program);
  registerTariffCommands(program);
  registerOrderCommand(program);
  registerServiceCommands(program);
  registerServiceCertificateCommands(program.commands.find((c) => c.name() === 'service')!);
  registerTokenCommands(program);
  registerUserCommands(program);
  registerModuleCommands(program);
  registerReissueCommands(program);
  registerPlanCommand(program);
  registerQuoteCommand(program);
  registerApproversCommand(program);
  registerSimulatorCommand(program);
  registerJobsCommands(program, buildJobHandlers);
  registerMailCommands(program);
  for (const cmd of program.commands) inheritExitOverride(cmd);
  return program;
}

function inheritExitOverride(cmd: Command): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeErr: (s) => process.stderr.write(s.startsWith('error:') ? '' : s) });
  for (const sub of cmd.commands) inheritExitOverride(sub);
}
