import { formatMoney } from '../../src/core/money.ts';
import { el, nil } from '../soap/xml-writer.ts';
import type { Operation } from './operation.ts';

/**
 * AccountSnapshot (AccountService): the account balance. GlobalSign's response body is not public;
 * this shape is ours and is what certbill's client reads:
 * `<AccountSnapshot><Balance>1000.00</Balance><Currency>USD</Currency></AccountSnapshot>`.
 */
export const accountSnapshot: Operation = {
  name: 'AccountSnapshot',
  service: 'AccountService',
  responseHeader: 'QueryResponseHeader',
  errorBody: nil('AccountSnapshot'),
  run: ({ account }) => ({
    body: el('AccountSnapshot', [
      el('Balance', formatMoney({ amountMinor: account.balanceMinor, currency: account.currency })),
      el('Currency', account.currency),
    ]),
  }),
};
