import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/support/cli.ts';

const runCli = (...args: string[]) => runCliCaptured('quote', ...args);

const PRICES = [
  '--years',
  '5',
  '--base-price',
  '100.00',
  '--uc-price',
  '0.00',
  '--domain-price',
  '20.00',
  '--currency',
  'USD',
];

describe('certbill quote', () => {
  it('quotes the seed example: one UC SAN, one additional domain, 120.00 USD', async () => {
    const { stdout, exitCode } = await runCli(
      '--cn',
      'example.com',
      '--san',
      'www.example.com,test.example.com',
      ...PRICES,
      '--json',
    );
    expect(exitCode).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.names).toEqual([
      { name: 'www.example.com', addon: 'uc-san', sanOptionType: 1 },
      { name: 'test.example.com', addon: 'additional-domain', sanOptionType: 2 },
    ]);
    expect([out.ucSanCount, out.additionalDomainCount]).toEqual([1, 1]);
    expect(out.lines.map((l: { kind: string }) => l.kind)).toEqual(['base', 'uc-san', 'additional-domain']);
    expect(out.lines[2]).toMatchObject({
      quantity: 1,
      unit: { amountMinor: 2000, currency: 'USD' },
      amount: { amountMinor: 2000, currency: 'USD' },
    });
    expect(out.total).toEqual({ amountMinor: 12000, currency: 'USD' });
  });

  it('prints the names and a priced breakdown without --json', async () => {
    const { stdout } = await runCli(
      '--cn',
      'example.com',
      '--san',
      'www.example.com, test.example.com',
      ...PRICES,
    );
    expect(stdout).toMatch(/www\.example\.com +uc-san \(SANOptionType 1\)/);
    expect(stdout).toMatch(/^Total +120\.00 USD$/m);
  });

  it('charges nothing for included additional domains', async () => {
    const { stdout } = await runCli(
      '--cn',
      'example.com',
      '--san',
      'a.example.com,b.example.com',
      ...PRICES,
      '--domain-included',
      '1',
      '--json',
    );
    expect(JSON.parse(stdout).total.amountMinor).toBe(12000);
  });

  it('refuses a 101st name with exit code 2 before looking at the prices', async () => {
    const sans = Array.from({ length: 101 }, (_, i) => `h${i}.example.com`).join(',');
    const { stdout, exitCode } = await runCli('--cn', 'example.com', '--san', sans, '--years', '5', '--json');
    expect(exitCode).toBe(2);
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'DOMAIN_TOO_MANY_NAMES',
      message: expect.stringContaining('got 101'),
    });
  });

  it.each([
    [['--cn', 'example.com', '--san', '192.168.1.1'], 'DOMAIN_PRIVATE_IP'],
    [['--cn', 'printer.local'], 'DOMAIN_INTERNAL_NAME'],
    [['--cn', 'example.com', '--san', '*.example.com', '--no-wildcard'], 'DOMAIN_WILDCARD_NOT_ALLOWED'],
  ])('answers bad names %j with exit code 2 and %s', async (args, code) => {
    const { stdout, exitCode } = await runCli(...args, ...PRICES, '--json');
    expect(exitCode).toBe(2);
    expect(JSON.parse(stdout).error.code).toBe(code);
  });

  it('answers a bad amount or currency with exit code 2', async () => {
    const amount = await runCli('--cn', 'example.com', ...PRICES, '--base-price', '1.234', '--json');
    expect(amount.exitCode).toBe(2);
    expect(JSON.parse(amount.stdout).error.code).toBe('MONEY_INVALID_AMOUNT');
    const currency = await runCli('--cn', 'example.com', ...PRICES, '--currency', 'DOLLARS');
    expect(currency.exitCode).toBe(2);
    expect(currency.stderr).toMatch(/^certbill: .*ISO 4217/);
  });

  it('says which option is missing', async () => {
    const { stderr, exitCode } = await runCli('--cn', 'example.com', '--years', '5', '--currency', 'USD');
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--base-price is required');
  });
});
