import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { registerServiceCommands } from './service.ts';

// The reissue itself (a new certificate at the CA) is tested through the panel and the API in
// src/ui/client/services.test.ts; here the command's wiring and its refusals.

interface Run {
  readonly exitCode: number;
  readonly json: { error: { code: string; message: string } };
}

async function certbill(...argv: string[]): Promise<Run> {
  const program = new Command('certbill').exitOverride();
  registerServiceCommands(program);
  const quiet = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  const out: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    stdout.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { exitCode, json: JSON.parse(out.join('') || 'null') };
}

describe.each(testDialects())('certbill service reissue on %s', (dialect) => {
  let ctx: TestContext;
  let previousUrl: string | undefined;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    previousUrl = process.env.DATABASE_URL;
    process.env.DATABASE_URL = ctx.db.url;
  });
  afterAll(async () => {
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    await ctx.drop();
  });

  it('refuses a service whose first certificate is still being ordered, and a CSR file it cannot read', async () => {
    const make = builders(ctx);
    const client = await make.client({ balance: '500.00' });
    const tariff = await make.tariff();
    const { serviceId } = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn: 'cli.example.com',
    });

    const refused = await certbill('service', 'reissue', String(serviceId), '--json');
    expect(refused.exitCode).toBe(1);
    expect(refused.json.error.code).toBe('SUBSCRIPTION_NO_CA_ORDER');
    expect(refused.json.error.message).toContain('its first certificate is still being ordered');

    const noFile = await certbill(
      'service',
      'reissue',
      String(serviceId),
      '--csr',
      '/nonexistent/new.csr',
      '--json',
    );
    expect(noFile.json.error.code).toBe('CORE_VALIDATION');
    expect(noFile.json.error.message).toContain('Cannot read the CSR file /nonexistent/new.csr');

    const missing = await certbill('service', 'reissue', '999999', '--json');
    expect(missing.json.error.code).toBe('BILLING_SERVICE_NOT_FOUND');
  });
});
