import type { Command } from 'commander';
import { describeConfig, loadConfig } from '../../core/config/index.ts';
import { withOutput } from '../output.ts';

export function registerConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description('The configuration (etc/certbill.conf and the environment)');
  config
    .command('show')
    .description('Print every resolved value and where it came from (default, file:line, environment)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        () => {
          const loaded = loadConfig({ env: process.env });
          return {
            file: loaded.file.path,
            fileExists: loaded.file.exists,
            options: describeConfig(loaded),
          };
        },
        (r) => {
          const rows = r.options.map((o) => [o.name, o.value === '' ? '(unset)' : o.value, o.source]);
          const w = [0, 1].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
          const header = `# ${r.file}${r.fileExists ? '' : ' (not found: defaults apply)'}`;
          return [header, ...rows.map(([n, v, s]) => `${n!.padEnd(w[0]!)}  ${v!.padEnd(w[1]!)}  ${s}`)].join(
            '\n',
          );
        },
      ),
    );
}
