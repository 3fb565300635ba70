import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { parsePeriodPrices, setTariffActive } from './add-tariff.ts';
import { readSslProductSettings, updateSslProductSettings } from './product-settings.ts';
import { getTariff, listTariffs } from './tariff-repository.ts';

describe('reading tariff prices from the command line', () => {
  it('reads <years>y=<amount> pairs', () => {
    expect(parsePeriodPrices('1y=30.00, 2y=55.00')).toEqual([
      { years: 1, amount: '30.00' },
      { years: 2, amount: '55.00' },
    ]);
  });

  it('refuses a pair without years', () => {
    expect(() => parsePeriodPrices('30.00')).toThrow(/<years>y=<amount>/);
  });
});

describe.each(testDialects())('the certificate catalogue on %s', (dialect) => {
  let ctx: TestContext;
  let make: ReturnType<typeof builders>;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    make = builders(ctx);
  });
  afterAll(() => ctx.drop());

  it('stores a tariff with prices per period, both addons and its processing modules in order', async () => {
    const tariff = await make.tariff({
      name: 'AlphaSSL Wildcard',
      product: 'dv_low',
      wildcard: true,
      ucSanAddon: {
        price: [
          { years: 1, amount: '1.00' },
          { years: 2, amount: '2.00' },
          { years: 5, amount: '4.00' },
        ],
        includedCount: 2,
      },
      moduleIds: [7, 3],
    });
    const stored = await getTariff(ctx.db.kysely, tariff.id);
    expect(stored).toMatchObject({
      product: 'DV_LOW',
      family: 'AlphaSSL',
      title: 'AlphaSSL Wildcard',
      validation: 'DV',
      wildcard: true,
      active: true,
      prices: [
        { years: 1, price: { amountMinor: 3000, currency: 'USD' } },
        { years: 2, price: { amountMinor: 5500 } },
        { years: 5, price: { amountMinor: 10000 } },
      ],
      addons: [
        {
          kind: 'uc-san',
          label: 'Additional UC SANs domains',
          includedCount: 2,
          prices: [{ years: 1, price: { amountMinor: 100 } }, { years: 2 }, { years: 5 }],
        },
        {
          kind: 'additional-domain',
          label: 'Additional domains',
          includedCount: 0,
          prices: [{ years: 1, price: { amountMinor: 2000 } }, { years: 2 }, { years: 5 }],
        },
      ],
      modules: [
        { moduleId: 7, sort: 0 },
        { moduleId: 3, sort: 1 },
      ],
    });
  });

  it('refuses an EV wildcard, an unknown product and bad prices, and stores nothing', async () => {
    const before = (await listTariffs(ctx.db.kysely)).length;
    await expect(make.tariff({ product: 'EV', wildcard: true })).rejects.toMatchObject({
      code: 'BILLING_INVALID_PRODUCT',
    });
    await expect(make.tariff({ product: 'DV_HIGH' })).rejects.toMatchObject({
      code: 'BILLING_INVALID_PRODUCT',
    });
    await expect(make.tariff({ prices: [] })).rejects.toMatchObject({ code: 'BILLING_INVALID_TARIFF' });
    await expect(make.tariff({ prices: [{ years: 6, amount: '1.00' }] })).rejects.toMatchObject({
      code: 'DOMAIN_INVALID_YEARS',
    });
    await expect(make.tariff({ prices: [{ years: 1, amount: '0.00' }] })).rejects.toMatchObject({
      code: 'BILLING_INVALID_TARIFF',
    });
    await expect(make.tariff({ prices: [{ years: 1, amount: '-1.00' }] })).rejects.toMatchObject({
      code: 'BILLING_INVALID_TARIFF',
    });
    await expect(
      make.tariff({
        prices: [
          { years: 1, amount: '1.00' },
          { years: 1, amount: '2.00' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'BILLING_INVALID_TARIFF' });
    await expect(
      make.tariff({ domainAddon: { price: [{ years: 1, amount: '1.00' }] } }),
    ).rejects.toMatchObject({
      code: 'BILLING_INVALID_TARIFF',
      message: expect.stringContaining('missing 2, 5'),
    });
    await expect(make.tariff({ currency: 'US' })).rejects.toMatchObject({ code: 'MONEY_INVALID_CURRENCY' });
    await expect(make.tariff({ moduleIds: [1, 1] })).rejects.toMatchObject({
      code: 'BILLING_INVALID_TARIFF',
    });
    expect(await listTariffs(ctx.db.kysely)).toHaveLength(before);
  });

  it('deactivates a tariff so that active listings leave it out', async () => {
    const tariff = await make.tariff();
    expect((await setTariffActive(ctx, tariff.id, false)).active).toBe(false);
    expect((await listTariffs(ctx.db.kysely, { activeOnly: true })).map((t) => t.id)).not.toContain(
      tariff.id,
    );
    expect((await listTariffs(ctx.db.kysely)).map((t) => t.id)).toContain(tariff.id);
    await expect(setTariffActive(ctx, 999_999, true)).rejects.toMatchObject({
      code: 'BILLING_TARIFF_NOT_FOUND',
    });
  });

  it('reads the Subscription block from the panel by default: auto, 10 days', async () => {
    const settings = await readSslProductSettings(ctx);
    expect(settings).toMatchObject({
      code: 'ssl',
      name: 'SSL certificates',
      subscription: {
        policy: { value: 'auto', source: 'panel' },
        before: { value: 10, source: 'panel' },
        overridden: false,
      },
    });
  });

  it('stores the panel values and refuses a policy or a number of days out of range', async () => {
    const updated = await updateSslProductSettings(ctx, { policy: 'none', before: 200 });
    expect(updated.subscription.policy.value).toBe('none');
    expect(updated.subscription.before.value).toBe(200);
    await expect(updateSslProductSettings(ctx, { policy: 'sometimes' })).rejects.toMatchObject({
      code: 'BILLING_INVALID_SETTINGS',
    });
    await expect(updateSslProductSettings(ctx, { before: 201 })).rejects.toMatchObject({
      code: 'DOMAIN_INVALID_BEFORE_DAYS',
    });
    await expect(updateSslProductSettings(ctx, { before: 0 })).rejects.toMatchObject({
      code: 'DOMAIN_INVALID_BEFORE_DAYS',
    });
    await updateSslProductSettings(ctx, { policy: 'auto', before: 10 });
  });

  it('says when the configuration file overrides the panel, and by which line', async () => {
    const overridden = {
      ...ctx,
      subscriptionOverride: { before: { value: 20, source: 'etc/certbill.conf:3' } },
    };
    await updateSslProductSettings(overridden, { before: 15 });
    const settings = await readSslProductSettings(overridden);
    expect(settings.subscription).toEqual({
      policy: { value: 'auto', source: 'panel', panelValue: 'auto' },
      before: { value: 20, source: 'etc/certbill.conf:3', panelValue: 15 },
      overridden: true,
    });
    await updateSslProductSettings(ctx, { before: 10 });
  });
});
