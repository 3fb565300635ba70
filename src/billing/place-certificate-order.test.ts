import { createPrivateKey, createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test/support/app.ts';
import { builders, uniqueKey } from '../../test/support/builders.ts';
import { testDialects } from '../../test/support/databases.ts';
import { setTariffActive } from './add-tariff.ts';
import type { BillingContext } from './billing-context.ts';
import { creditAccount } from './credit-account.ts';
import { placeCertificateOrder, parseDcvChoice } from './place-certificate-order.ts';
import type { ProvisioningGateway } from './provisioning-gateway.ts';
import { quoteOrder } from './quote-tariff-order.ts';
import { getService, listServices, viewService } from './service-repository.ts';
import { showAccount } from './show-account.ts';
import { x509Lib } from '../provisioning/keys/x509-provider.ts';
import { EXTENDED_VALIDATION, ORGANIZATION } from '../../test/support/organization-details.ts';
import { makeTestCsr } from '../../test/contract/make-test-csr.ts';

const CSR = await makeTestCsr('example.com');
const OTHER_CN_CSR = await makeTestCsr('other.example.net');
const WEAK_CSR = await makeTestCsr('example.com', { key: 'rsa1024' });
const GARBLED_CSR = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBnotarequest\n-----END CERTIFICATE REQUEST-----';

describe('reading the domain validation choice', () => {
  it('reads email with and without an approver address, http and dns', () => {
    expect(parseDcvChoice('email')).toEqual({ method: 'email', email: null });
    expect(parseDcvChoice('email:Admin@Example.com')).toEqual({
      method: 'email',
      email: 'admin@example.com',
    });
    expect(parseDcvChoice('HTTP')).toEqual({ method: 'http', email: null });
    expect(parseDcvChoice('dns')).toEqual({ method: 'dns', email: null });
  });

  it('refuses an unknown method, an address on dns and a malformed address', () => {
    expect(() => parseDcvChoice('whois')).toThrow(/email, email:<approver address>, http or dns/);
    expect(() => parseDcvChoice('dns:a@example.com')).toThrow(/Only email/);
    expect(() => parseDcvChoice('email:nobody')).toThrow(/not an e-mail address/);
  });
});

describe.each(testDialects())('ordering certificates on %s', (dialect) => {
  let ctx: TestContext & BillingContext;
  let make: ReturnType<typeof builders>;
  const handedOver: number[] = [];

  beforeAll(async () => {
    const provisioning: ProvisioningGateway = {
      serviceOrdered: async (id) => void handedOver.push(id),
      serviceCancelled: async () => {},
    };
    ctx = Object.assign(await createTestContext(dialect), { provisioning });
    make = builders(ctx);
  });
  afterAll(() => ctx.drop());

  async function nothingWritten(clientId: number, balanceMinor: number) {
    expect(await listServices(ctx.db.kysely, { clientId })).toEqual([]);
    const statement = await showAccount(ctx, clientId);
    expect(statement.balance.amountMinor).toBe(balanceMinor);
    expect(statement.entries.filter((e) => e.kind === 'charge')).toEqual([]);
  }

  it('quotes the seed example: 100.00 for five years, a free UC SAN and a 20.00 additional domain', async () => {
    const tariff = await make.tariff();
    const quote = await quoteOrder(ctx, {
      tariffId: tariff.id,
      years: 5,
      cn: 'Example.COM.',
      sans: ['www.example.com', 'test.example.com'],
    });
    expect(quote.cn).toBe('example.com');
    expect(quote.total).toEqual({ amountMinor: 12_000, currency: 'USD' });
    expect(quote.lines.map((l) => [l.kind, l.quantity, l.amount.amountMinor])).toEqual([
      ['base', 1, 10_000],
      ['uc-san', 1, 0],
      ['additional-domain', 1, 2_000],
    ]);
  });

  it('charges the balance, stores the service as ordered and hands it to provisioning', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '150.00' });
    const order = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      years: 5,
      cn: 'example.com',
      sans: ['www.example.com', 'test.example.com', 'WWW.example.com', 'example.com'],
      dcv: 'email:admin@example.com',
    });
    expect(order).toMatchObject({ charged: { amountMinor: 12_000, currency: 'USD' }, replayed: false });
    expect(order.folded.map((f) => f.reason)).toEqual(['duplicate', 'common-name']);
    expect(handedOver).toContain(order.serviceId);

    const service = await getService(ctx.db.kysely, order.serviceId);
    expect(service).toMatchObject({
      clientId: client.id,
      tariffId: tariff.id,
      product: 'DV',
      kind: 'new',
      status: 'ordered',
      years: 5,
      commonName: 'example.com',
      names: [
        { name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
        { name: 'test.example.com', addon: 'additional-domain', sanOptionType: 2 },
      ],
      price: { total: { amountMinor: 12_000, currency: 'USD' } },
      provisioning: {
        csr: null,
        generateKey: true,
        saveKey: true,
        dcv: { method: 'email', email: 'admin@example.com' },
      },
      paidUntil: null,
      firstIssuedAt: null,
    });
    expect(service.price.lines).toHaveLength(3);
    expect(viewService(service)).toMatchObject({
      paidUntil: null,
      paidUntilShown: null,
      expirationDate: null,
      caOrderId: null,
      nextReissueAt: null,
    });

    const statement = await showAccount(ctx, client.id);
    expect(statement.balance.amountMinor).toBe(3_000);
    expect(statement.entries.at(-1)).toMatchObject({
      kind: 'charge',
      amount: { amountMinor: -12_000 },
      reference: `charge:service:${order.serviceId}`,
      serviceId: order.serviceId,
    });
  });

  it('keeps the CSR of the client and drops the validation method for OV, whose domains the CA vets', async () => {
    const tariff = await make.tariff({ name: 'OrganizationSSL', product: 'OV' });
    const client = await make.client({ balance: '100.00' });
    const order = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      csr: CSR,
      dcv: 'http',
      organization: ORGANIZATION,
    });
    const service = await getService(ctx.db.kysely, order.serviceId);
    expect(service.provisioning).toEqual({
      csr: CSR.trim(),
      generateKey: false,
      saveKey: true,
      dcv: null,
      organization: { organization: ORGANIZATION },
    });
  });

  it('stores the EV parties and jurisdiction with the organization', async () => {
    const tariff = await make.tariff({ name: 'ExtendedSSL', product: 'EV' });
    const client = await make.client({ balance: '100.00' });
    const order = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      organization: ORGANIZATION,
      extendedValidation: EXTENDED_VALIDATION,
    });
    const service = await getService(ctx.db.kysely, order.serviceId);
    expect(service.provisioning.organization).toEqual({
      organization: ORGANIZATION,
      extendedValidation: EXTENDED_VALIDATION,
    });
  });

  it.each(
    (
      [
        ['OV', {}, 'organization'],
        ['OV', { organization: { ...ORGANIZATION, name: ' ' } }, 'organization.name'],
        [
          'OV',
          { organization: { ...ORGANIZATION, address: { ...ORGANIZATION.address, city: undefined } } },
          'organization.address.city',
        ],
        [
          'OV',
          { organization: { ...ORGANIZATION, address: { ...ORGANIZATION.address, country: 'Britain' } } },
          'organization.address.country',
        ],
        ['OV', { organization: ORGANIZATION, extendedValidation: EXTENDED_VALIDATION }, 'extendedValidation'],
        ['EV', { organization: ORGANIZATION }, 'extendedValidation'],
        [
          'EV',
          {
            organization: ORGANIZATION,
            extendedValidation: { ...EXTENDED_VALIDATION, businessCategory: 'club' },
          },
          'extendedValidation.businessCategory',
        ],
        [
          'EV',
          {
            organization: ORGANIZATION,
            extendedValidation: {
              ...EXTENDED_VALIDATION,
              signer: { ...EXTENDED_VALIDATION.signer, email: '' },
            },
          },
          'extendedValidation.signer.email',
        ],
        [
          'EV',
          {
            organization: ORGANIZATION,
            extendedValidation: { ...EXTENDED_VALIDATION, jurisdiction: { country: 'GB' } },
          },
          'extendedValidation.jurisdiction.registrationNumber',
        ],
        ['DV', { organization: ORGANIZATION }, 'organization'],
      ] as const
    ).map(([product, data, field]) => [product, field, data] as const),
  )('refuses a %s order whose %s is missing or wrong, and charges nothing', async (product, field, data) => {
    const tariff = await make.tariff({ name: `Org${product}${uniqueKey()}`, product });
    const client = await make.client({ balance: '100.00' });
    await expect(make.order({ clientId: client.id, tariffId: tariff.id, ...data })).rejects.toMatchObject({
      code: 'BILLING_INVALID_ORDER',
      details: { field },
    });
    await nothingWritten(client.id, 10000);
  });

  it('returns a key it must not save once with the order, stores only its CSR, and never returns it again', async () => {
    const tariff = await make.tariff({ name: 'NoSavedKeySSL' });
    const client = await make.client({ balance: '100.00' });
    const input = {
      clientId: client.id,
      tariffId: tariff.id,
      cn: 'nokey.example.com',
      saveKey: false,
      idempotencyKey: 'no-save-key-1',
    };
    const first = await make.order(input);
    expect(first.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const service = await getService(ctx.db.kysely, first.serviceId);
    expect(service.provisioning).toMatchObject({ generateKey: true, saveKey: false });
    const csr = new (x509Lib().Pkcs10CertificateRequest)(service.provisioning.csr ?? '');
    const csrKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
    const ownKey = createPublicKey(createPrivateKey(first.privateKeyPem ?? ''));
    expect(csrKey.equals(ownKey)).toBe(true);
    expect(viewService(service)).toMatchObject({ keySaved: false, csrProvided: true });

    const again = await make.order(input);
    expect(again).toMatchObject({ serviceId: first.serviceId, replayed: true });
    expect(again.privateKeyPem).toBeUndefined();
    const stored = JSON.stringify(await ctx.db.kysely.selectFrom('idempotency_keys').selectAll().execute());
    expect(stored).not.toContain('PRIVATE KEY');
  });

  it('refuses not saving the key of a CSR the client brings, before anything is charged', async () => {
    const tariff = await make.tariff({ name: 'OwnCsrSSL' });
    const client = await make.client({ balance: '100.00' });
    await expect(
      make.order({ clientId: client.id, tariffId: tariff.id, csr: CSR, saveKey: false }),
    ).rejects.toMatchObject({ code: 'BILLING_INVALID_ORDER', details: { field: 'saveKey' } });
    await nothingWritten(client.id, 10000);
  });

  it('refuses an order the balance does not cover, says how much is missing, and writes nothing', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '50.00' });
    const key = uniqueKey();
    const order = {
      clientId: client.id,
      tariffId: tariff.id,
      years: 5,
      cn: 'example.com',
      sans: ['www.example.com', 'test.example.com'],
      idempotencyKey: key,
    };
    await expect(placeCertificateOrder(ctx, order)).rejects.toMatchObject({
      code: 'BILLING_INSUFFICIENT_BALANCE',
      message: 'Insufficient balance: the order costs 120.00 USD, the balance is 50.00 USD; add 70.00 USD.',
    });
    await nothingWritten(client.id, 5_000);
    await creditAccount(ctx, { clientId: client.id, amount: '70.00', idempotencyKey: uniqueKey() });
    expect((await placeCertificateOrder(ctx, order)).replayed).toBe(false);
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(0);
  });

  it.each([
    ['an unknown tariff', { tariffId: 999_999 }, 'BILLING_TARIFF_NOT_FOUND'],
    ['a period the tariff does not sell', { years: 3 }, 'BILLING_PERIOD_NOT_SOLD'],
    ['a period outside 1 to 5 years', { years: 6 }, 'DOMAIN_INVALID_YEARS'],
    [
      '101 additional names',
      { sans: Array.from({ length: 101 }, (_, i) => `n${i}.example.com`) },
      'DOMAIN_TOO_MANY_NAMES',
    ],
    ['an invalid name', { sans: ['bad_name.example.com'] }, 'DOMAIN_INVALID_NAME'],
    ['an internal name', { cn: 'intranet.local' }, 'DOMAIN_INTERNAL_NAME'],
    ['a private IP', { sans: ['10.0.0.1'] }, 'DOMAIN_PRIVATE_IP'],
    ['a wildcard on a plain tariff', { cn: '*.example.com' }, 'DOMAIN_WILDCARD_NOT_ALLOWED'],
    ['both a CSR and key generation', { csr: CSR, generateKey: true }, 'BILLING_INVALID_ORDER'],
    ['a CSR that is not PEM', { csr: 'hello' }, 'BILLING_INVALID_ORDER'],
    ['a malformed CSR', { csr: GARBLED_CSR }, 'PROVISIONING_CSR_UNREADABLE'],
    ['a CSR for another name', { csr: OTHER_CN_CSR }, 'PROVISIONING_CSR_CN_MISMATCH'],
    ['a CSR with a weak key', { csr: WEAK_CSR }, 'PROVISIONING_CSR_WEAK_KEY'],
    ['an unknown validation method', { dcv: 'fax' }, 'BILLING_INVALID_ORDER'],
  ])('refuses %s and writes nothing', async (_what, change, code) => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '1000.00' });
    await expect(make.order({ clientId: client.id, tariffId: tariff.id, ...change })).rejects.toMatchObject({
      code,
    });
    await nothingWritten(client.id, 100_000);
  });

  it('refuses an inactive tariff, a currency mismatch, an addon the tariff lacks and a plain name on a wildcard tariff', async () => {
    const client = await make.client({ balance: '1000.00' });
    const inactive = await make.tariff();
    await setTariffActive(ctx, inactive.id, false);
    await expect(make.order({ clientId: client.id, tariffId: inactive.id })).rejects.toMatchObject({
      code: 'BILLING_TARIFF_INACTIVE',
    });
    const euro = await make.tariff({ currency: 'EUR' });
    await expect(make.order({ clientId: client.id, tariffId: euro.id })).rejects.toMatchObject({
      code: 'BILLING_CURRENCY_MISMATCH',
    });
    const single = await make.tariff({ domainAddon: null });
    await expect(
      make.order({ clientId: client.id, tariffId: single.id, sans: ['other.example.net'] }),
    ).rejects.toMatchObject({
      code: 'BILLING_ADDON_NOT_SOLD',
      message: expect.stringContaining('other.example.net'),
    });
    const wildcard = await make.tariff({ wildcard: true });
    await expect(make.order({ clientId: client.id, tariffId: wildcard.id })).rejects.toMatchObject({
      code: 'BILLING_WILDCARD_MISMATCH',
    });
    await expect(make.order({ clientId: 999_999, tariffId: single.id })).rejects.toMatchObject({
      code: 'BILLING_CLIENT_NOT_FOUND',
    });
    await nothingWritten(client.id, 100_000);
  });

  it('returns the first result for a repeated key and refuses the key for another request', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '100.00' });
    const idempotencyKey = uniqueKey();
    const first = await make.order({ clientId: client.id, tariffId: tariff.id, idempotencyKey });
    const again = await make.order({ clientId: client.id, tariffId: tariff.id, idempotencyKey });
    expect(again).toMatchObject({ serviceId: first.serviceId, charged: first.charged, replayed: true });
    await expect(
      make.order({ clientId: client.id, tariffId: tariff.id, idempotencyKey, cn: 'example.org' }),
    ).rejects.toMatchObject({ code: 'BILLING_IDEMPOTENCY_KEY_REUSED' });
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(7_000);
  });

  it('charges once when the same order is submitted ten times at once', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '100.00' });
    const idempotencyKey = uniqueKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        make.order({ clientId: client.id, tariffId: tariff.id, idempotencyKey }),
      ),
    );
    expect(new Set(results.map((r) => r.serviceId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await listServices(ctx.db.kysely, { clientId: client.id })).toHaveLength(1);
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(7_000);
  });

  it('lets concurrent different orders spend the balance only once', async () => {
    const tariff = await make.tariff();
    const client = await make.client({ balance: '100.00' });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => make.order({ clientId: client.id, tariffId: tariff.id })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code),
    ).toEqual([
      'BILLING_INSUFFICIENT_BALANCE',
      'BILLING_INSUFFICIENT_BALANCE',
      'BILLING_INSUFFICIENT_BALANCE',
    ]);
    expect((await showAccount(ctx, client.id)).balance.amountMinor).toBe(1_000);
  });
});
