import { sql } from 'kysely';
import { getClient } from '../../billing/client-repository.ts';
import { clientOf } from '../access/principal.ts';
import { loadOwned } from '../ownership.ts';
import type { PanelPage } from '../page.ts';
import { render } from '../render.ts';

/** The client area home at `/client`: the client's balance and how many services it has. */
export const clientHomePage: PanelPage = (scope, ctx) => {
  scope.get('/', async (req, reply) => {
    const me = clientOf(req);
    const client = await getClient(ctx.db.kysely, me.clientId);
    const services = await ctx.db.kysely
      .selectFrom('services')
      .select(sql<number>`count(*)`.as('n'))
      .where('client_id', '=', me.clientId)
      .executeTakeFirstOrThrow();
    return render(
      reply,
      'client/home',
      { client: { name: client.name, balance: client.balance }, servicesCount: Number(services.n) },
      { title: 'Home' },
    );
  });

  // The smallest owned object: one service's name and state, loaded by (id, clientId); another
  // client's service answers 404 like a missing one. The services pages build on this pattern.
  scope.get('/services/:id/summary', async (req, reply) => {
    const me = clientOf(req);
    const id = Number((req.params as { id: string }).id);
    const service = await loadOwned(
      me,
      (clientId) =>
        Number.isSafeInteger(id)
          ? ctx.db.kysely
              .selectFrom('services')
              .select(['id', 'common_name', 'status', 'paid_until'])
              .where('id', '=', id)
              .where('client_id', '=', clientId)
              .executeTakeFirst()
          : Promise.resolve(undefined),
      'This service',
    );
    return render(reply, 'client/service-summary', { service }, { title: service.common_name });
  });
};
