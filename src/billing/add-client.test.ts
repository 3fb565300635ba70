import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders, uniqueEmail, uniqueKey } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { addClient } from './add-client.ts';
import { addClientUser } from './add-client-user.ts';
import { addDepartment } from './add-department.ts';
import { addStaffUser } from './add-staff-user.ts';
import { getClient, listClients } from './client-repository.ts';
import { adjustAccount, creditAccount } from './credit-account.ts';
import { showAccount } from './show-account.ts';
import { listDepartments, listStaffUsers } from './staff-repository.ts';

describe.each(testDialects())('clients, staff and balances on %s', (dialect) => {
  let ctx: TestContext;
  let make: ReturnType<typeof builders>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    make = builders(ctx);
  });
  afterAll(() => ctx.drop());

  it('creates a client with its first user and an empty account in its currency', async () => {
    const email = uniqueEmail('Ann').toUpperCase();
    const client = await addClient(ctx, { name: ' Example Ltd ', email, currency: 'eur' });
    expect(client).toMatchObject({
      name: 'Example Ltd',
      balance: { amountMinor: 0, currency: 'EUR' },
      users: [{ email: email.toLowerCase(), name: 'Example Ltd' }],
    });
    expect((await listClients(ctx.db.kysely)).map((c) => c.id)).toContain(client.id);
  });

  it('opens accounts in USD unless told otherwise', async () => {
    expect((await make.client()).balance.currency).toBe('USD');
  });

  it('refuses an e-mail address that a client or staff user already has, and a malformed one', async () => {
    const email = uniqueEmail();
    await make.client({ email });
    await expect(make.client({ email })).rejects.toMatchObject({ code: 'BILLING_EMAIL_TAKEN' });
    await expect(addStaffUser(ctx, { email, name: 'Ops' })).rejects.toMatchObject({
      code: 'BILLING_EMAIL_TAKEN',
    });
    await expect(make.client({ email: 'not-an-address' })).rejects.toMatchObject({
      code: 'BILLING_INVALID_INPUT',
    });
    await expect(make.client({ name: '  ' })).rejects.toMatchObject({ code: 'BILLING_INVALID_INPUT' });
    await expect(make.client({ currency: 'XYZ' })).rejects.toMatchObject({ code: 'MONEY_INVALID_CURRENCY' });
  });

  it('adds more users to a client', async () => {
    const client = await make.client();
    const user = await addClientUser(ctx, { clientId: client.id, email: uniqueEmail('bob'), name: 'Bob' });
    expect((await getClient(ctx.db.kysely, client.id)).users.map((u) => u.id)).toContain(user.id);
    await expect(
      addClientUser(ctx, { clientId: 999_999, email: uniqueEmail(), name: 'X' }),
    ).rejects.toMatchObject({
      code: 'BILLING_CLIENT_NOT_FOUND',
    });
  });

  it('creates departments with unique names and admins in them', async () => {
    const name = `Support ${uniqueKey()}`;
    const department = await addDepartment(ctx, { name, email: 'support@example.net' });
    await expect(addDepartment(ctx, { name })).rejects.toMatchObject({ code: 'BILLING_DEPARTMENT_EXISTS' });
    const admin = await addStaffUser(ctx, {
      email: uniqueEmail('ops'),
      name: 'Ops',
      departmentId: department.id,
    });
    expect(admin).toMatchObject({ role: 'admin', departmentId: department.id });
    expect((await listDepartments(ctx.db.kysely)).map((d) => d.name)).toContain(name);
    expect((await listStaffUsers(ctx.db.kysely)).map((u) => u.id)).toContain(admin.id);
    await expect(
      addStaffUser(ctx, { email: uniqueEmail(), name: 'X', departmentId: 999_999 }),
    ).rejects.toMatchObject({
      code: 'BILLING_DEPARTMENT_NOT_FOUND',
    });
  });

  it('credits an account with a credit entry and shows the balance with its entries', async () => {
    const client = await make.client();
    const credited = await creditAccount(ctx, {
      clientId: client.id,
      amount: '100.00',
      idempotencyKey: uniqueKey(),
    });
    expect(credited).toMatchObject({ balance: { amountMinor: 10_000, currency: 'USD' }, replayed: false });
    const statement = await showAccount(ctx, client.id);
    expect(statement.balance).toEqual({ amountMinor: 10_000, currency: 'USD' });
    expect(statement.entries).toMatchObject([{ kind: 'credit', amount: { amountMinor: 10_000 } }]);
  });

  it('refuses zero, negative, malformed and foreign-currency credits and writes nothing', async () => {
    const client = await make.client();
    const credit = (amount: string, currency?: string) =>
      creditAccount(ctx, { clientId: client.id, amount, currency, idempotencyKey: uniqueKey() });
    await expect(credit('0')).rejects.toMatchObject({ code: 'BILLING_AMOUNT_NOT_POSITIVE' });
    await expect(credit('-5.00')).rejects.toMatchObject({ code: 'BILLING_AMOUNT_NOT_POSITIVE' });
    await expect(credit('1.001')).rejects.toMatchObject({ code: 'MONEY_INVALID_AMOUNT' });
    await expect(credit('5.00', 'EUR')).rejects.toMatchObject({ code: 'BILLING_CURRENCY_MISMATCH' });
    await expect(
      creditAccount(ctx, { clientId: 999_999, amount: '5.00', idempotencyKey: uniqueKey() }),
    ).rejects.toMatchObject({ code: 'BILLING_CLIENT_NOT_FOUND' });
    expect((await showAccount(ctx, client.id)).entries).toEqual([]);
  });

  it('credits once for a repeated idempotency key and refuses the key for another amount', async () => {
    const client = await make.client();
    const key = uniqueKey();
    const first = await creditAccount(ctx, { clientId: client.id, amount: '10.00', idempotencyKey: key });
    const again = await creditAccount(ctx, { clientId: client.id, amount: '10.00', idempotencyKey: key });
    expect(again).toMatchObject({ replayed: true, balance: first.balance, entry: { id: first.entry.id } });
    await expect(
      creditAccount(ctx, { clientId: client.id, amount: '11.00', idempotencyKey: key }),
    ).rejects.toMatchObject({ code: 'BILLING_IDEMPOTENCY_KEY_REUSED' });
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(1_000);
  });

  it('credits once when the same key is submitted concurrently', async () => {
    const client = await make.client();
    const key = uniqueKey();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        creditAccount(ctx, { clientId: client.id, amount: '7.00', idempotencyKey: key }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const statement = await showAccount(ctx, client.id);
    expect(statement.entries).toHaveLength(1);
    expect(statement.balance.amountMinor).toBe(700);
  });

  it('adjusts a balance up or down with a note, but not below zero', async () => {
    const client = await make.client({ balance: '10.00' });
    const down = await adjustAccount(ctx, {
      clientId: client.id,
      amount: '-4.00',
      note: 'bank fee',
      idempotencyKey: uniqueKey(),
    });
    expect(down.entry).toMatchObject({ kind: 'adjustment', amount: { amountMinor: -400 }, note: 'bank fee' });
    await expect(
      adjustAccount(ctx, {
        clientId: client.id,
        amount: '-7.00',
        note: 'too much',
        idempotencyKey: uniqueKey(),
      }),
    ).rejects.toMatchObject({
      code: 'BILLING_INSUFFICIENT_BALANCE',
      message: 'Insufficient balance: the adjustment costs 7.00 USD, the balance is 6.00 USD; add 1.00 USD.',
    });
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(600);
  });

  it('refuses an empty or spaced idempotency key', async () => {
    const client = await make.client();
    for (const idempotencyKey of ['', 'has space', 'x'.repeat(201)]) {
      await expect(
        creditAccount(ctx, { clientId: client.id, amount: '1.00', idempotencyKey }),
      ).rejects.toMatchObject({
        code: 'BILLING_IDEMPOTENCY_KEY_INVALID',
      });
    }
  });
});
