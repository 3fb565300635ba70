import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders, uniqueKey } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { cancelService } from './cancel-service.ts';
import { renewService } from './renew-service.ts';
import { getService, viewService } from './service-repository.ts';
import { setServiceStatus } from './set-service-status.ts';
import { setTariffPrice } from './set-tariff-price.ts';
import { showAccount } from './show-account.ts';
import { startPaidPeriod } from './start-paid-period.ts';

const DAY = 86_400_000;

describe.each(testDialects())('the life of a paid service on %s', (dialect) => {
  let ctx: TestContext;
  let make: ReturnType<typeof builders>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    make = builders(ctx);
  });
  afterAll(() => ctx.drop());

  async function ordered(years = 5, balance = '200.00') {
    ctx.clock.set('2026-04-02T12:00:00Z');
    const tariff = await make.tariff();
    const client = await make.client({ balance });
    const order = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      years,
      sans: ['www.example.com'],
    });
    return { tariff, client, serviceId: order.serviceId };
  }

  it('starts the paid period at the first issue: five years later, shown as Paid until', async () => {
    const { serviceId } = await ordered(5);
    const service = await startPaidPeriod(ctx, serviceId, new Date('2026-04-02T12:00:00Z'));
    expect(service.paidUntil).toBe('2031-04-02T12:00:00.000Z');
    expect(viewService(service)).toMatchObject({ paidUntil: '2031-04-02', paidUntilShown: '2031-04-02' });
  });

  it('stores but does not show Paid until for a one-year purchase', async () => {
    const { serviceId } = await ordered(1);
    const service = await startPaidPeriod(ctx, serviceId, new Date('2028-02-29T08:00:00Z'));
    expect(viewService(service)).toMatchObject({ paidUntil: '2029-02-28', paidUntilShown: null });
  });

  it('starts the paid period once: the same instant again changes nothing, another is refused', async () => {
    const { serviceId } = await ordered(2);
    const first = new Date('2026-04-05T00:00:00Z');
    await startPaidPeriod(ctx, serviceId, first);
    expect((await startPaidPeriod(ctx, serviceId, first)).paidUntil).toBe('2028-04-05T00:00:00.000Z');
    await expect(startPaidPeriod(ctx, serviceId, new Date('2026-04-06T00:00:00Z'))).rejects.toMatchObject({
      code: 'BILLING_PAID_PERIOD_STARTED',
    });
  });

  it('refunds the full price of a service not yet issued within 30 days of the order', async () => {
    const { client, serviceId } = await ordered(5);
    ctx.clock.advanceDays(30);
    const cancelled = await cancelService(ctx, { serviceId, idempotencyKey: uniqueKey() });
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      refunded: { amountMinor: 10_000, currency: 'USD' },
    });
    expect((await getService(ctx.db.kysely, serviceId)).status).toBe('cancelled');
    const statement = await showAccount(ctx, client.id);
    expect(statement.balance.amountMinor).toBe(20_000);
    expect(statement.entries.at(-1)).toMatchObject({
      kind: 'refund',
      reference: `refund:service:${serviceId}`,
    });
  });

  it('refuses to refund a service not yet issued once 30 days have passed', async () => {
    const { client, serviceId } = await ordered(5);
    ctx.clock.advanceMs(30 * DAY + 1);
    await expect(cancelService(ctx, { serviceId, idempotencyKey: uniqueKey() })).rejects.toMatchObject({
      code: 'BILLING_REFUND_WINDOW_CLOSED',
      message: `Service ${serviceId} cannot be cancelled with a refund: it was ordered on 2026-04-02, more than 30 days ago. The service runs to its end.`,
    });
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(10_000);
  });

  it('refunds an issued service within 6 days of the first issue and refuses after', async () => {
    const early = await ordered(5);
    await startPaidPeriod(ctx, early.serviceId, new Date('2026-04-20T00:00:00Z'));
    ctx.clock.set('2026-04-26T00:00:00Z');
    await expect(
      cancelService(ctx, { serviceId: early.serviceId, idempotencyKey: uniqueKey() }),
    ).resolves.toMatchObject({
      status: 'cancelled',
    });

    const late = await ordered(5);
    await startPaidPeriod(ctx, late.serviceId, new Date('2026-04-20T00:00:00Z'));
    ctx.clock.set('2026-04-26T00:00:01Z');
    await expect(
      cancelService(ctx, { serviceId: late.serviceId, idempotencyKey: uniqueKey() }),
    ).rejects.toMatchObject({
      code: 'BILLING_REFUND_WINDOW_CLOSED',
      message: expect.stringContaining('runs to its end (paid until 2031-04-20)'),
    });
    expect((await getService(ctx.db.kysely, late.serviceId)).status).toBe('ordered');
  });

  it('refunds once: a repeated key replays, a second cancellation is refused, concurrent ones refund once', async () => {
    const { client, serviceId } = await ordered(5);
    const key = uniqueKey();
    await cancelService(ctx, { serviceId, idempotencyKey: key });
    expect((await cancelService(ctx, { serviceId, idempotencyKey: key })).replayed).toBe(true);
    await expect(cancelService(ctx, { serviceId, idempotencyKey: uniqueKey() })).rejects.toMatchObject({
      code: 'BILLING_SERVICE_NOT_CANCELLABLE',
    });

    const other = await ordered(5);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        cancelService(ctx, { serviceId: other.serviceId, idempotencyKey: uniqueKey() }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(20_000);
    expect((await showAccount(ctx, other.client.id)).balance.amountMinor).toBe(20_000);
    await expect(
      cancelService(ctx, { serviceId: 999_999, idempotencyKey: uniqueKey() }),
    ).rejects.toMatchObject({
      code: 'BILLING_SERVICE_NOT_FOUND',
    });
  });

  it('renews at the current tariff price as a new service of kind renewal referring to the previous one', async () => {
    const { tariff, client, serviceId } = await ordered(5, '250.00');
    await startPaidPeriod(ctx, serviceId, new Date('2026-04-02T12:00:00Z'));
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' });
    await setTariffPrice(ctx, { tariffId: tariff.id, years: 5, amount: '110.00' });

    const renewal = await renewService(ctx, { serviceId, idempotencyKey: uniqueKey() });
    expect(renewal).toMatchObject({ previousServiceId: serviceId, charged: { amountMinor: 11_000 } });
    const service = await getService(ctx.db.kysely, renewal.serviceId);
    expect(service).toMatchObject({
      kind: 'renewal',
      previousServiceId: serviceId,
      status: 'ordered',
      years: 5,
      commonName: 'example.com',
      names: [{ name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 }],
      paidUntil: null,
    });
    const statement = await showAccount(ctx, client.id);
    expect(statement.balance.amountMinor).toBe(25_000 - 10_000 - 11_000);
    expect(statement.entries.at(-1)?.reference).toBe(`charge:service:${renewal.serviceId}`);
  });

  it('renews a service once, and refuses one whose paid period has not started or that was cancelled', async () => {
    const { serviceId } = await ordered(1, '200.00');
    await expect(renewService(ctx, { serviceId, idempotencyKey: uniqueKey() })).rejects.toMatchObject({
      code: 'BILLING_SERVICE_NOT_RENEWABLE',
      message: expect.stringContaining('first certificate is issued'),
    });
    await startPaidPeriod(ctx, serviceId, ctx.clock.now());
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' });
    await setServiceStatus(ctx, { serviceId, from: ['active'], to: 'expired' });
    const key = uniqueKey();
    const [a, b] = await Promise.all([
      renewService(ctx, { serviceId, idempotencyKey: key }),
      renewService(ctx, { serviceId, idempotencyKey: key }),
    ]);
    expect(a.serviceId).toBe(b.serviceId);
    await expect(renewService(ctx, { serviceId, idempotencyKey: uniqueKey() })).rejects.toMatchObject({
      code: 'BILLING_SERVICE_NOT_RENEWABLE',
      message: expect.stringContaining('already renewed'),
    });

    const cancelled = await ordered(1);
    await cancelService(ctx, { serviceId: cancelled.serviceId, idempotencyKey: uniqueKey() });
    await expect(
      renewService(ctx, { serviceId: cancelled.serviceId, idempotencyKey: uniqueKey() }),
    ).rejects.toMatchObject({
      code: 'BILLING_SERVICE_NOT_RENEWABLE',
    });
  });

  it('refuses a renewal the balance does not cover and charges nothing', async () => {
    const { client, serviceId } = await ordered(5, '100.00');
    await startPaidPeriod(ctx, serviceId, ctx.clock.now());
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' });
    await expect(renewService(ctx, { serviceId, idempotencyKey: uniqueKey() })).rejects.toMatchObject({
      code: 'BILLING_INSUFFICIENT_BALANCE',
      message: 'Insufficient balance: the order costs 100.00 USD, the balance is 0.00 USD; add 100.00 USD.',
    });
    expect((await showAccount(ctx, client.id)).entries).toHaveLength(2);
  });

  it('moves a service between states only from the expected ones', async () => {
    const { serviceId } = await ordered(1);
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'in_progress' });
    await expect(setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' })).rejects.toMatchObject(
      {
        code: 'BILLING_SERVICE_STATE',
      },
    );
  });
});
