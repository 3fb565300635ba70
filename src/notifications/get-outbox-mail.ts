import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors/index.ts';
import { toOutboxMail, type OutboxMail } from './mail-outbox.ts';

/**
 * One mail of the outbox, with its whole text, or CORE_NOT_FOUND.
 * @example await getOutboxMail(ctx, 4) → { id: 4, to: 'ann@example.com', subject: '…', text: '…', state: 'sent', … }
 */
export async function getOutboxMail(ctx: Pick<AppContext, 'db'>, id: number): Promise<OutboxMail> {
  const r = await ctx.db.kysely.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) throw new AppError('CORE_NOT_FOUND', `Mail ${id} is not in the outbox.`, { id });
  return toOutboxMail(r);
}
