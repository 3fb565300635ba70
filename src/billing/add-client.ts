import { assertCurrency } from '../core/money.ts';
import type { BillingContext } from './billing-context.ts';
import { assertEmailFree, emailTaken, getClient, type Client } from './client-repository.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { readEmail, readText } from './read-text.ts';

export interface AddClientInput {
  /** The client's name; also the name of its first user. */
  readonly name: string;
  /** E-mail address of the client's first user. */
  readonly email: string;
  /** Currency of the client's account; default USD. */
  readonly currency?: string;
}

/**
 * Creates a client with its first user and its account (balance 0) in one currency.
 * @example await addClient(ctx, { name: 'Example Ltd', email: 'ann@example.com', currency: 'EUR' }) → { id: 1, … }
 */
export async function addClient(ctx: BillingContext, input: AddClientInput): Promise<Client> {
  const name = readText(input.name, 'client name');
  const email = readEmail(input.email);
  const currency = assertCurrency(input.currency ?? 'USD');
  const at = ctx.clock.now().toISOString();
  await assertEmailFree(ctx.db.kysely, email);
  try {
    const id = await ctx.db.kysely.transaction().execute(async (trx) => {
      const client = await trx
        .insertInto('clients')
        .values({ name, created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('client_users')
        .values({ client_id: client.id, email, name, created_at: at })
        .execute();
      await trx.insertInto('accounts').values({ client_id: client.id, currency, created_at: at }).execute();
      return client.id;
    });
    return await getClient(ctx.db.kysely, id);
  } catch (e) {
    if (isUniqueViolation(e)) throw emailTaken(email);
    throw e;
  }
}
