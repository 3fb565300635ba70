import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueEmail, uniqueKey } from '../../../test/support/builders.ts';
import { runCommands, useDatabaseUrl } from '../../../test/support/cli.ts';
import { createTestDatabase, testDialects } from '../../../test/support/databases.ts';
import { findTokenScope } from '../../billing/api-token-repository.ts';
import { TestClock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';
import { registerAccountCommands } from './account.ts';
import { registerClientCommands } from './client.ts';
import { registerOrderCommand } from './order.ts';
import { registerServiceCommands } from './service.ts';
import { registerTariffCommands } from './tariff.ts';
import { registerTokenCommands } from './token.ts';
import { ORGANIZATION } from '../../../test/support/organization-details.ts';
import { makeTestCsr } from '../../../test/contract/make-test-csr.ts';

const certbill = (...argv: string[]) =>
  runCommands((program) => {
    registerClientCommands(program);
    registerAccountCommands(program);
    registerTariffCommands(program);
    registerOrderCommand(program);
    registerServiceCommands(program);
    registerTokenCommands(program);
  }, argv);

describe.each(testDialects())('the billing commands on %s', (dialect) => {
  let db: Database & { drop(): Promise<void> };
  let restoreUrl: () => void;
  let tmp: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    restoreUrl = useDatabaseUrl(db.url);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-cli-'));
  });
  afterAll(async () => {
    restoreUrl();
    fs.rmSync(tmp, { recursive: true, force: true });
    await db.drop();
  });

  async function newClient(balance?: string): Promise<number> {
    const { json } = await certbill(
      'client',
      'add',
      '--email',
      uniqueEmail(),
      '--name',
      'Example Ltd',
      '--json',
    );
    if (balance) await certbill('account', 'credit', String(json.id), balance, '--json');
    return json.id as number;
  }

  async function newTariff(...extra: string[]): Promise<number> {
    const { json } = await certbill(
      'tariff',
      'add',
      '--name',
      'DomainSSL',
      '--product',
      'DV',
      '--currency',
      'USD',
      '--price',
      '1y=30.00,5y=100.00',
      '--uc-san-price',
      '0.00',
      '--domain-price',
      '20.00',
      ...extra,
      '--json',
    );
    return json.id as number;
  }

  it('adds a client and prints its id, then lists it', async () => {
    const add = await certbill(
      'client',
      'add',
      '--email',
      uniqueEmail(),
      '--name',
      'Example Ltd',
      '--currency',
      'EUR',
      '--json',
    );
    expect(add.exitCode).toBe(0);
    expect(add.json).toMatchObject({ id: expect.any(Number), balance: { amountMinor: 0, currency: 'EUR' } });
    const list = await certbill('client', 'list', '--json');
    expect(list.json.clients.map((c: { id: number }) => c.id)).toContain(add.json.id);
  });

  it('credits an account once per idempotency key and shows balance and entries', async () => {
    const id = await newClient();
    const key = uniqueKey();
    const credit = await certbill(
      'account',
      'credit',
      String(id),
      '150.00',
      '--idempotency-key',
      key,
      '--json',
    );
    expect(credit.json.balance).toEqual({ amountMinor: 15_000, currency: 'USD' });
    const again = await certbill(
      'account',
      'credit',
      String(id),
      '150.00',
      '--idempotency-key',
      key,
      '--json',
    );
    expect(again.json).toMatchObject({ balance: { amountMinor: 15_000 }, replayed: true });
    await certbill('account', 'adjust', String(id), '--amount', '-5.00', '--note', 'bank fee', '--json');
    const show = await certbill('account', 'show', String(id), '--json');
    expect(show.json.balance).toEqual({ amountMinor: 14_500, currency: 'USD' });
    expect(show.json.entries.map((e: { kind: string }) => e.kind)).toEqual(['credit', 'adjustment']);
  });

  it('refuses a zero credit with exit code 2 and the error as JSON', async () => {
    const id = await newClient();
    const res = await certbill('account', 'credit', String(id), '0', '--json');
    expect(res.exitCode).toBe(2);
    expect(res.json.error.code).toBe('BILLING_AMOUNT_NOT_POSITIVE');
    const missing = await certbill('account', 'show', '999999', '--json');
    expect([missing.exitCode, missing.json.error.code]).toEqual([2, 'BILLING_CLIENT_NOT_FOUND']);
  });

  it('adds a tariff with both addons and its modules, and shows it', async () => {
    const id = await newTariff('--module', '4,2', '--uc-san-included', '1');
    const show = await certbill('tariff', 'show', String(id), '--json');
    expect(show.json).toMatchObject({
      id,
      product: 'DV',
      title: 'DomainSSL',
      prices: [{ years: 1 }, { years: 5, price: { amountMinor: 10_000, currency: 'USD' } }],
      addons: [
        { kind: 'uc-san', includedCount: 1, prices: [{ years: 1, price: { amountMinor: 0 } }, { years: 5 }] },
        { kind: 'additional-domain', prices: [{ years: 1, price: { amountMinor: 2_000 } }, { years: 5 }] },
      ],
      modules: [{ moduleId: 4 }, { moduleId: 2 }],
    });
    expect(
      (await certbill('tariff', 'list', '--json')).json.tariffs.map((t: { id: number }) => t.id),
    ).toContain(id);
    const ev = await certbill(
      'tariff',
      'add',
      '--name',
      'EV',
      '--product',
      'EV',
      '--wildcard',
      '--currency',
      'USD',
      '--price',
      '1y=300',
      '--json',
    );
    expect([ev.exitCode, ev.json.error.code]).toEqual([2, 'BILLING_INVALID_PRODUCT']);
  });

  it('orders a multi-domain certificate and shows the service with the fields provisioning fills later as null', async () => {
    const clientId = await newClient('150.00');
    const tariffId = await newTariff();
    const order = await certbill(
      'order',
      '--client',
      String(clientId),
      '--tariff',
      String(tariffId),
      '--years',
      '5',
      '--cn',
      'example.com',
      '--san',
      'www.example.com,test.example.com',
      '--dcv',
      'email:admin@example.com',
      '--json',
    );
    expect(order.exitCode).toBe(0);
    expect(order.json).toMatchObject({
      serviceId: expect.any(Number),
      charged: { amountMinor: 12_000, currency: 'USD' },
    });
    const show = await certbill('service', 'show', String(order.json.serviceId), '--json');
    expect(show.json).toMatchObject({
      id: order.json.serviceId,
      status: 'ordered',
      expirationDate: null,
      paidUntil: null,
      paidUntilShown: null,
      caOrderId: null,
      nextReissueAt: null,
      dcv: { method: 'email', email: 'admin@example.com' },
      generateKey: true,
    });
    const list = await certbill('service', 'list', '--client', String(clientId), '--json');
    expect(list.json.services.map((s: { id: number }) => s.id)).toEqual([order.json.serviceId]);
    const human = await certbill('service', 'show', String(order.json.serviceId));
    expect(human.stdout).toContain('Paid until: —');
  });

  it('orders with a CSR file, and refuses --csr together with --generate-key', async () => {
    const clientId = await newClient('100.00');
    const tariffId = await newTariff();
    const csr = path.join(tmp, 'example.csr');
    fs.writeFileSync(csr, await makeTestCsr('example.com'));
    const base = [
      'order',
      '--client',
      String(clientId),
      '--tariff',
      String(tariffId),
      '--years',
      '1',
      '--cn',
      'example.com',
    ];
    const ok = await certbill(...base, '--csr', csr, '--json');
    expect((await certbill('service', 'show', String(ok.json.serviceId), '--json')).json.csrProvided).toBe(
      true,
    );
    const both = await certbill(...base, '--csr', csr, '--generate-key', '--json');
    expect([both.exitCode, both.json.error.code]).toEqual([2, 'BILLING_INVALID_ORDER']);
  });

  it('prints a key it does not save once with the order, and service show says the key is not kept', async () => {
    const clientId = await newClient('100.00');
    const tariffId = await newTariff();
    const base = ['order', '--client', String(clientId), '--tariff', String(tariffId), '--years', '1'];
    const json = await certbill(
      ...base,
      '--cn',
      'nokey.example.com',
      '--generate-key',
      '--no-save-key',
      '--json',
    );
    expect(json.exitCode).toBe(0);
    expect(json.json.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const show = await certbill('service', 'show', String(json.json.serviceId), '--json');
    expect(show.json).toMatchObject({ keySaved: false, csrProvided: true });
    expect((await certbill('service', 'show', String(json.json.serviceId))).stdout).toContain(
      'Private key: not kept by certbill',
    );
    const human = await certbill(...base, '--cn', 'nokey2.example.com', '--no-save-key');
    expect(human.stdout).toContain('The private key, shown only now (certbill keeps no copy):');
    expect(human.stdout).toContain('-----END PRIVATE KEY-----');
  });

  it('orders an OV certificate with the organization from --org-file, and names a missing field', async () => {
    const clientId = await newClient('100.00');
    const tariffId = await newTariff('--product', 'OV');
    const file = path.join(tmp, 'org.json');
    const base = ['order', '--client', String(clientId), '--tariff', String(tariffId), '--years', '1'];
    fs.writeFileSync(file, JSON.stringify({ organization: ORGANIZATION }));
    const ok = await certbill(...base, '--cn', 'ov.example.com', '--org-file', file, '--json');
    expect(ok.exitCode).toBe(0);
    const { address: _address, ...noAddress } = ORGANIZATION;
    fs.writeFileSync(file, JSON.stringify({ organization: noAddress }));
    const missing = await certbill(...base, '--cn', 'ov.example.com', '--org-file', file, '--json');
    expect([missing.exitCode, missing.json.error.code]).toEqual([2, 'BILLING_INVALID_ORDER']);
    expect(missing.json.error.message).toContain('organization.address is missing');
  });

  it('refuses an order the balance does not cover with exit code 1 and the missing amount', async () => {
    const clientId = await newClient('50.00');
    const tariffId = await newTariff();
    const res = await certbill(
      'order',
      '--client',
      String(clientId),
      '--tariff',
      String(tariffId),
      '--years',
      '5',
      '--cn',
      'example.com',
      '--san',
      'www.example.com,test.example.com',
      '--json',
    );
    expect(res.exitCode).toBe(1);
    expect(res.json.error).toEqual({
      code: 'BILLING_INSUFFICIENT_BALANCE',
      message: 'Insufficient balance: the order costs 120.00 USD, the balance is 50.00 USD; add 70.00 USD.',
    });
    const human = await certbill(
      'order',
      '--client',
      String(clientId),
      '--tariff',
      String(tariffId),
      '--years',
      '5',
      '--cn',
      'example.com',
      '--san',
      'x.example.com',
    );
    expect(human.stderr).toContain('Insufficient balance');
  });

  it('cancels a service with a refund', async () => {
    const clientId = await newClient('100.00');
    const tariffId = await newTariff();
    const order = await certbill(
      'order',
      '--client',
      String(clientId),
      '--tariff',
      String(tariffId),
      '--years',
      '1',
      '--cn',
      'example.com',
      '--json',
    );
    const cancel = await certbill('service', 'cancel', String(order.json.serviceId), '--json');
    expect(cancel.json).toMatchObject({ status: 'cancelled', refunded: { amountMinor: 3_000 } });
    expect((await certbill('account', 'show', String(clientId), '--json')).json.balance.amountMinor).toBe(
      10_000,
    );
  });

  it('creates admin and client tokens, printing the secret once', async () => {
    const admin = await certbill('token', 'create', '--admin', '--label', 'ci', '--json');
    expect(admin.json).toMatchObject({ scope: 'admin', token: expect.stringMatching(/^cb_/) });
    const clientId = await newClient();
    const client = await certbill('token', 'create', '--client', String(clientId), '--json');
    const ctx = { db, clock: new TestClock() };
    expect(await findTokenScope(ctx, client.json.token)).toEqual({ kind: 'client', clientId });
    const neither = await certbill('token', 'create', '--json');
    expect(neither.exitCode).toBe(2);
    const list = await certbill('token', 'list', '--json');
    expect(list.stdout).not.toContain(admin.json.token);
  });
});
