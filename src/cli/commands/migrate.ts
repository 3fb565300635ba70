import type { Command } from 'commander';
import { closeAppContext, composeAppContext } from '../../compose.ts';
import { redactUrl } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { withOutput } from '../output.ts';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Bring the database schema up to date (DATABASE_URL, default sqlite:./data/certbill.sqlite)')
    .option('--json', 'machine-readable output')
    .action(
      withOutput(
        async () => {
          const ctx = await composeAppContext({ migrate: false });
          try {
            const report = await migrateToLatest(ctx.db);
            return { database: redactUrl(ctx.db.url), dialect: ctx.db.dialect, ...report };
          } finally {
            await closeAppContext(ctx);
          }
        },
        (r) =>
          r.applied.length
            ? `Applied ${r.applied.length} migration(s) to ${r.database}: ${r.applied.join(', ')}`
            : `${r.database} is up to date (${r.current.length} migrations).`,
      ),
    );
}
