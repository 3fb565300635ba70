import type { AppContext } from '../app-context.ts';
import { AppError } from '../core/errors/index.ts';
import { isMessageLanguage, MESSAGE_LANGUAGES, type MessageLanguage } from './message-template-catalogue.ts';

/**
 * Sets the language of a client's messages (one of the languages certbill has templates in).
 * Messages rendered from then on use it.
 * @example await setClientLanguage(ctx, { clientId: 4, language: 'es' }) → { clientId: 4, language: 'es' }
 */
export async function setClientLanguage(
  ctx: Pick<AppContext, 'db'>,
  input: { readonly clientId: number; readonly language: string },
): Promise<{ clientId: number; language: MessageLanguage }> {
  const language = input.language.trim().toLowerCase();
  if (!isMessageLanguage(language)) {
    throw new AppError(
      'NOTIFICATIONS_TEMPLATE_UNKNOWN',
      `Messages come in ${MESSAGE_LANGUAGES.join(', ')}; ${input.language} is not one of them.`,
      { language: input.language },
    );
  }
  const updated = await ctx.db.kysely
    .updateTable('clients')
    .set({ language })
    .where('id', '=', input.clientId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    throw new AppError('BILLING_CLIENT_NOT_FOUND', `No client has id ${input.clientId}.`, {
      clientId: input.clientId,
    });
  }
  return { clientId: input.clientId, language };
}
