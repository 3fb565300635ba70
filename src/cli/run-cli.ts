import { CommanderError } from 'commander';
import { AppError } from '../core/errors/index.ts';
import { printError } from './output.ts';
import { buildProgram } from './program.ts';

/**
 * Runs one command line and returns its exit code: 0 ok, 1 a failed operation, 2 bad input
 * (unknown command or option, missing value, invalid value). `argv` is what follows `certbill`.
 *
 * @example await runCli(['plan', '--type', 'DV', '--issued', '2026-04-02T12:00:00Z', '--years', '5', '--json'])
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  const wantsJson = argv.includes('--json');
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (e.exitCode !== 0) {
        printError(
          new AppError('CORE_VALIDATION', `${e.message.replace(/^error: /, '')} (see --help)`),
          wantsJson,
        );
        process.exitCode = 2;
      }
    } else {
      printError(e, wantsJson);
      process.exitCode = 1;
    }
  }
  return Number(process.exitCode ?? 0);
}
