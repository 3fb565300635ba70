import { getAccountOfClient } from '../../billing/account-repository.ts';
import { clientOf } from '../access/principal.ts';
import type { PanelPage } from '../page.ts';
import { render } from '../render.ts';
import { pageOf, readLedgerPage } from './client-services-data.ts';

/** Balance (`/client/balance`): the client's balance and its ledger entries, newest first, 50 a page. */
export const clientBalancePage: PanelPage = (scope, ctx) => {
  scope.get('/balance', async (req, reply) => {
    const me = clientOf(req);
    const account = await getAccountOfClient(ctx.db.kysely, me.clientId);
    const list = await readLedgerPage(ctx.db.kysely, account.id, pageOf(req.query));
    return render(reply, 'client/balance', { balance: account.balance, list }, { title: 'Balance' });
  });
};
