import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Money } from '../core/money.ts';
import { storedMoney } from './stored-money.ts';
import type { Database as Schema } from '../db/schema.ts';

export interface ClientUser {
  readonly id: number;
  readonly clientId: number;
  readonly email: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Client {
  readonly id: number;
  readonly name: string;
  readonly accountId: number;
  readonly balance: Money;
  readonly users: readonly ClientUser[];
  readonly createdAt: string;
}

export async function findClient(db: Kysely<Schema>, clientId: number): Promise<Client | null> {
  return (await loadClients(db, [clientId]))[0] ?? null;
}

export async function getClient(db: Kysely<Schema>, clientId: number): Promise<Client> {
  const client = await findClient(db, clientId);
  if (!client)
    throw new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${clientId} does not exist.`, { clientId });
  return client;
}

/** Clients, newest first. */
export async function listClients(db: Kysely<Schema>, opts: { limit?: number } = {}): Promise<Client[]> {
  const ids = await db
    .selectFrom('clients')
    .select('id')
    .orderBy('id', 'desc')
    .limit(opts.limit ?? 1000)
    .execute();
  return loadClients(
    db,
    ids.map((r) => r.id),
  );
}

async function loadClients(db: Kysely<Schema>, ids: number[]): Promise<Client[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('clients')
    .innerJoin('accounts', 'accounts.client_id', 'clients.id')
    .select([
      'clients.id',
      'clients.name',
      'clients.created_at',
      'accounts.id as account_id',
      'accounts.balance_minor',
      'accounts.currency',
    ])
    .where('clients.id', 'in', ids)
    .orderBy('clients.id', 'desc')
    .execute();
  const users = await db
    .selectFrom('client_users')
    .selectAll()
    .where('client_id', 'in', ids)
    .orderBy('id', 'asc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    balance: storedMoney(row.balance_minor, row.currency),
    users: users
      .filter((u) => u.client_id === row.id)
      .map((u) => ({
        id: u.id,
        clientId: u.client_id,
        email: u.email,
        name: u.name,
        createdAt: u.created_at,
      })),
    createdAt: row.created_at,
  }));
}

/** Refuses an e-mail address that a client user or a staff user already has. */
export async function assertEmailFree(db: Kysely<Schema>, email: string): Promise<void> {
  const client = await db
    .selectFrom('client_users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirst();
  const staff = await db.selectFrom('staff_users').select('id').where('email', '=', email).executeTakeFirst();
  if (client || staff) throw emailTaken(email);
}

export function emailTaken(email: string): AppError {
  return new AppError('BILLING_EMAIL_TAKEN', `A user with the e-mail address ${email} already exists.`, {
    email,
  });
}
