import type { BillingContext } from './billing-context.ts';
import { assertEmailFree, emailTaken, getClient, type ClientUser } from './client-repository.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { readEmail, readText } from './read-text.ts';

export interface AddClientUserInput {
  readonly clientId: number;
  readonly email: string;
  readonly name: string;
}

/**
 * Adds a user to a client (e-mail and name; the client area adds logins later).
 * @example await addClientUser(ctx, { clientId: 1, email: 'bob@example.com', name: 'Bob' }) → { id: 2, … }
 */
export async function addClientUser(ctx: BillingContext, input: AddClientUserInput): Promise<ClientUser> {
  const email = readEmail(input.email);
  const name = readText(input.name, 'user name');
  await getClient(ctx.db.kysely, input.clientId);
  await assertEmailFree(ctx.db.kysely, email);
  const createdAt = ctx.clock.now().toISOString();
  try {
    const row = await ctx.db.kysely
      .insertInto('client_users')
      .values({ client_id: input.clientId, email, name, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, clientId: input.clientId, email, name, createdAt };
  } catch (e) {
    if (isUniqueViolation(e)) throw emailTaken(email);
    throw e;
  }
}
