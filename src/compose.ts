import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './app-context.ts';
import { SystemClock, type Clock } from './core/clock.ts';
import { nullLogger } from './core/logs/module-logger.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/certbill.sqlite';

export function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface ComposeOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  migrate?: boolean;
}

/**
 * The composition root: reads the configuration, opens the database (migrating it), and builds the
 * context that the server, the CLI and the jobs share. Close it with `closeAppContext`.
 */
export async function composeAppContext(opts: ComposeOptions = {}): Promise<AppContext> {
  const env = opts.env ?? process.env;
  const db = await openDatabase(env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    version: readVersion(),
    clock: opts.clock ?? new SystemClock(),
    db,
    log: nullLogger,
    logger: () => nullLogger,
    subscriptionOverride: {},
  };
}

export async function closeAppContext(ctx: AppContext): Promise<void> {
  await ctx.db.close();
}
