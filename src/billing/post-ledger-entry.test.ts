import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders, uniqueKey } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { money } from '../core/money.ts';
import { getAccountOfClient, listLedgerEntries, sumLedgerEntries } from './account-repository.ts';
import { postLedgerEntry } from './post-ledger-entry.ts';

type Op = { kind: 'credit' | 'charge' | 'refund' | 'adjustment'; amount: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('credit' as const), amount: fc.integer({ min: 1, max: 50_000 }) }),
  fc.record({ kind: fc.constant('charge' as const), amount: fc.integer({ min: -50_000, max: -1 }) }),
  fc.record({ kind: fc.constant('refund' as const), amount: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({
    kind: fc.constant('adjustment' as const),
    amount: fc.integer({ min: -20_000, max: 20_000 }).filter((n) => n !== 0),
  }),
);

describe.each(testDialects())('the ledger on %s', (dialect) => {
  let ctx: TestContext;
  let make: ReturnType<typeof builders>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    make = builders(ctx);
  });
  afterAll(() => ctx.drop());

  async function post(accountId: number, op: Op): Promise<boolean> {
    try {
      await ctx.db.kysely.transaction().execute((trx) =>
        postLedgerEntry(trx, ctx.clock.now(), {
          accountId,
          kind: op.kind,
          amount: money(op.amount, 'USD'),
          reference: uniqueKey(op.kind),
        }),
      );
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'BILLING_INSUFFICIENT_BALANCE') return false;
      throw e;
    }
  }

  async function expectConsistent(accountId: number, clientId: number): Promise<number> {
    const account = await getAccountOfClient(ctx.db.kysely, clientId);
    const sum = await sumLedgerEntries(ctx.db.kysely, accountId);
    expect(account.balance.amountMinor).toBe(sum);
    expect(account.balance.amountMinor).toBeGreaterThanOrEqual(0);
    return sum;
  }

  it('keeps the balance equal to the sum of its entries and never below zero, one posting at a time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 25 }), async (ops) => {
        const client = await make.client();
        let model = 0;
        for (const op of ops) {
          const applied = await post(client.accountId, op);
          expect(applied).toBe(model + op.amount >= 0);
          if (applied) model += op.amount;
        }
        expect(await expectConsistent(client.accountId, client.id)).toBe(model);
      }),
      { numRuns: 15 },
    );
  });

  it('keeps the balance equal to the sum of its entries under concurrent postings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 30 }), async (ops) => {
        const client = await make.client();
        const applied = await Promise.all(ops.map((op) => post(client.accountId, op)));
        const sum = await expectConsistent(client.accountId, client.id);
        expect(sum).toBe(ops.reduce((total, op, i) => total + (applied[i] ? op.amount : 0), 0));
        const entries = await listLedgerEntries(ctx.db.kysely, client.accountId);
        for (const entry of entries) expect(entry.balanceAfter.amountMinor).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 10 },
    );
  });

  it('never lets concurrent charges spend more than the balance', async () => {
    const client = await make.client({ balance: '100.00' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(client.accountId, { kind: 'charge', amount: -1_500 })),
    );
    expect(results.filter(Boolean)).toHaveLength(6);
    expect(await expectConsistent(client.accountId, client.id)).toBe(10_000 - 6 * 1_500);
  });

  it('refuses a second entry with the same reference and moves nothing', async () => {
    const client = await make.client({ balance: '10.00' });
    const entry = { accountId: client.accountId, kind: 'charge' as const, amount: money(-100, 'USD') };
    await ctx.db.kysely
      .transaction()
      .execute((trx) =>
        postLedgerEntry(trx, ctx.clock.now(), { ...entry, reference: `charge:test:${client.id}` }),
      );
    await expect(
      ctx.db.kysely
        .transaction()
        .execute((trx) =>
          postLedgerEntry(trx, ctx.clock.now(), { ...entry, reference: `charge:test:${client.id}` }),
        ),
    ).rejects.toMatchObject({ code: 'BILLING_LEDGER_REFERENCE_TAKEN' });
    expect(await expectConsistent(client.accountId, client.id)).toBe(900);
  });

  it('refuses a charge with a positive amount, a zero adjustment and another currency', async () => {
    const client = await make.client({ balance: '10.00' });
    const at = ctx.clock.now();
    const attempt = (kind: Op['kind'], amountMinor: number, currency = 'USD') =>
      ctx.db.kysely.transaction().execute((trx) =>
        postLedgerEntry(trx, at, {
          accountId: client.accountId,
          kind,
          amount: money(amountMinor, currency),
          reference: uniqueKey(),
        }),
      );
    await expect(attempt('charge', 100)).rejects.toMatchObject({ code: 'BILLING_AMOUNT_NOT_POSITIVE' });
    await expect(attempt('credit', -100)).rejects.toMatchObject({ code: 'BILLING_AMOUNT_NOT_POSITIVE' });
    await expect(attempt('adjustment', 0)).rejects.toMatchObject({ code: 'BILLING_AMOUNT_NOT_POSITIVE' });
    await expect(attempt('credit', 100, 'EUR')).rejects.toMatchObject({ code: 'BILLING_CURRENCY_MISMATCH' });
    expect(await expectConsistent(client.accountId, client.id)).toBe(1_000);
  });
});
