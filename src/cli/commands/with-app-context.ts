import type { AppContext } from '../../app-context.ts';
import { closeAppContext, composeAppContext } from '../../compose.ts';

/**
 * Runs one command body on a context over DATABASE_URL (migrated), closing it afterwards.
 * @example const client = await withAppContext((ctx) => addClient(ctx, input));
 */
export async function withAppContext<R>(run: (ctx: AppContext) => Promise<R>): Promise<R> {
  const ctx = await composeAppContext();
  try {
    return await run(ctx);
  } finally {
    await closeAppContext(ctx);
  }
}
