import { randomUUID } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { addClient } from '../../billing/add-client.ts';
import { getAccountOfClient } from '../../billing/account-repository.ts';
import { getClient } from '../../billing/client-repository.ts';
import { creditAccount } from '../../billing/credit-account.ts';
import { storedMoney } from '../../billing/stored-money.ts';
import { AppError, isAppError } from '../../core/errors/index.ts';
import { formatMoney } from '../../core/money.ts';
import type { AppContext } from '../../app-context.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { fieldOfError, formValues, positiveId, type FormValues } from './form-values.ts';
import { clientRowsHtml, ledgerRowsHtml, serviceRowsHtml } from './service-rows-html.ts';
import { listServicePage } from './services-data.ts';
import { rowLimit } from '../../db/row-limit.ts';

export const CLIENTS_PAGE_SIZE = 50;
export const LEDGER_PAGE_SIZE = 50;

/**
 * Clients: the keyset-paged list with balances, "Add client" (the add-client use case), and a
 * client's page with its users, balance, transactions (the ledger, newest first), "Credit balance"
 * (the credit-account use case, idempotent per form) and its services.
 */
export const clientPages: PanelPage = (scope, ctx) => {
  scope.get('/clients', async (req, reply) => {
    const before = positiveId((req.query as Record<string, unknown>)['before']);
    let query = ctx.db.kysely
      .selectFrom('clients as c')
      .innerJoin('accounts as a', 'a.client_id', 'c.id')
      .select(['c.id', 'c.name', 'c.created_at', 'a.balance_minor', 'a.currency'])
      .select((eb) =>
        eb
          .selectFrom('client_users as u')
          .select('u.email')
          .whereRef('u.client_id', '=', 'c.id')
          .orderBy('u.id')
          .limit(rowLimit(1))
          .as('email'),
      )
      .orderBy('c.id', 'desc')
      .limit(rowLimit(CLIENTS_PAGE_SIZE + 1));
    if (before !== null) query = query.where('c.id', '<', before);
    const rows = await query.execute();
    const clients = rows.slice(0, CLIENTS_PAGE_SIZE).map((r) => ({
      id: Number(r.id),
      name: r.name,
      email: r.email ?? '',
      balance: storedMoney(Number(r.balance_minor), r.currency),
      createdAt: r.created_at,
    }));
    return render(
      reply,
      'admin/clients',
      {
        clients,
        rows: clientRowsHtml(clients),
        nextUrl: rows.length > CLIENTS_PAGE_SIZE ? `/admin/clients?before=${clients.at(-1)!.id}` : null,
        firstUrl: before !== null ? '/admin/clients' : null,
      },
      { title: 'Clients' },
    );
  });

  scope.get('/clients/new', async (_req, reply) => renderClientForm(reply, { currency: 'USD' }, {}));

  scope.post('/clients', async (req, reply) => {
    const values = formValues(req);
    try {
      const client = await addClient(ctx, {
        name: values['name'] ?? '',
        email: values['email'] ?? '',
        currency: (values['currency'] ?? '').trim() || 'USD',
      });
      await setFlash(reply, 'success', `Client "${client.name}" added with a balance of 0.`);
      return reply.redirect(`/admin/clients/${client.id}`, 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const field = fieldOfError(
        err,
        {
          'client name': 'name',
          'e-mail address': 'email',
          BILLING_EMAIL_TAKEN: 'email',
          MONEY_INVALID_CURRENCY: 'currency',
        },
        'form',
      );
      return renderClientForm(reply, values, { [field]: err.message });
    }
  });

  scope.get('/clients/:id', async (req, reply) =>
    renderClient(ctx, reply, (req.params as { id: string }).id, null, {}),
  );

  scope.post('/clients/:id/credit', async (req, reply) => {
    const idText = (req.params as { id: string }).id;
    const client = await clientOf(ctx, idText);
    const values = formValues(req);
    try {
      const moved = await creditAccount(ctx, {
        clientId: client.id,
        amount: (values['amount'] ?? '').trim(),
        idempotencyKey: `panel-${values['idempotency_key'] || randomUUID()}`,
        ...(values['note']?.trim() ? { note: values['note'].trim() } : {}),
      });
      const amount = `${formatMoney(moved.entry.amount)} ${moved.entry.amount.currency}`;
      const balance = `${formatMoney(moved.balance)} ${moved.balance.currency}`;
      await setFlash(
        reply,
        'success',
        moved.replayed
          ? `This credit was already recorded; the balance is ${balance}.`
          : `Credited ${amount}; the balance is ${balance}.`,
      );
      return reply.redirect(`/admin/clients/${client.id}`, 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return renderClient(ctx, reply, idText, values, { amount: err.message });
    }
  });
};

async function clientOf(ctx: AppContext, idText: string) {
  const id = positiveId(idText);
  if (id === null) throw new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${idText} does not exist.`);
  return getClient(ctx.db.kysely, id);
}

function renderClientForm(reply: FastifyReply, values: FormValues, errors: Record<string, string>) {
  return render(
    reply,
    'admin/client-form',
    {
      values: {
        name: values['name'] ?? '',
        email: values['email'] ?? '',
        currency: values['currency'] ?? 'USD',
      },
      errors: {
        name: errors['name'] ?? null,
        email: errors['email'] ?? null,
        currency: errors['currency'] ?? null,
        form: errors['form'] ?? null,
      },
    },
    { status: Object.keys(errors).length ? 400 : 200, title: 'Add client' },
  );
}

async function renderClient(
  ctx: AppContext,
  reply: FastifyReply,
  idText: string,
  values: FormValues | null,
  errors: Record<string, string>,
) {
  const client = await clientOf(ctx, idText);
  const account = await getAccountOfClient(ctx.db.kysely, client.id);
  const [entries, services] = await Promise.all([
    ctx.db.kysely
      .selectFrom('ledger_entries')
      .select([
        'id',
        'kind',
        'amount_minor',
        'balance_after_minor',
        'reference',
        'service_id',
        'note',
        'created_at',
      ])
      .where('account_id', '=', account.id)
      .orderBy('id', 'desc')
      .limit(rowLimit(LEDGER_PAGE_SIZE))
      .execute(),
    listServicePage(ctx, { clientId: client.id }),
  ]);
  const currency = account.balance.currency;
  const ledger = entries.map((e) => ({
    id: Number(e.id),
    kind: e.kind,
    amount: storedMoney(Number(e.amount_minor), currency),
    balanceAfter: storedMoney(Number(e.balance_after_minor), currency),
    reference: e.reference,
    serviceId: e.service_id === null ? null : Number(e.service_id),
    note: e.note,
    createdAt: e.created_at,
  }));
  return render(
    reply,
    'admin/client',
    {
      client: { id: client.id, name: client.name, createdAt: client.createdAt },
      users: client.users,
      balance: account.balance,
      entries: ledger,
      ledgerRows: ledgerRowsHtml(ledger),
      services: services.services,
      serviceRows: serviceRowsHtml(services.services),
      moreServices: services.nextBefore !== null,
      credit: {
        amount: values?.['amount'] ?? '',
        note: values?.['note'] ?? '',
        error: errors['amount'] ?? null,
        key: values?.['idempotency_key'] ?? randomUUID(),
      },
    },
    { status: Object.keys(errors).length ? 400 : 200, title: `Client ${client.name}` },
  );
}
