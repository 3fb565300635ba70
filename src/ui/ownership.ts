import { AppError } from '../core/errors/index.ts';
import type { ClientPrincipal } from './access/principal.ts';

/**
 * The ownership rule of the client area: a client page loads every object by its id AND the
 * signed-in user's client id, and answers 404 when that finds nothing, so another client's
 * services, keys and invoices look exactly like ones that do not exist.
 *
 * @example
 *   const service = await loadOwned(client, (clientId) =>
 *     ctx.db.kysely.selectFrom('services').selectAll()
 *       .where('id', '=', id).where('client_id', '=', clientId).executeTakeFirst(),
 *     'Service');
 */
export async function loadOwned<T>(
  client: ClientPrincipal,
  load: (clientId: number) => Promise<T | null | undefined>,
  what = 'The page',
): Promise<T> {
  const found = await load(client.clientId);
  if (found === null || found === undefined) throw notFound(what);
  return found;
}

function notFound(what: string): AppError {
  return new AppError('CORE_NOT_FOUND', `${what} does not exist.`);
}
