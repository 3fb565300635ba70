import { CommanderError } from 'commander';
import { buildProgram } from './program.ts';
import { printError } from './output.ts';
import { AppError } from '../core/errors/index.ts';

const program = buildProgram();
const wantsJson = process.argv.includes('--json');
try {
  await program.parseAsync(process.argv);
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
