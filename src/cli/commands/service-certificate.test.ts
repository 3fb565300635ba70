import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { setServiceStatus } from '../../billing/set-service-status.ts';
import { startPaidPeriod } from '../../billing/start-paid-period.ts';
import { registerServiceCertificateCommands } from './service-certificate.ts';

interface Run {
  readonly stdout: string;
  readonly exitCode: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

async function certbill(...argv: string[]): Promise<Run> {
  const program = new Command('certbill').exitOverride();
  registerServiceCertificateCommands(program.command('service'));
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
  const text = out.join('');
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { stdout: text, exitCode, json };
}

describe.each(testDialects())('certbill service dcv on %s', (dialect) => {
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

  it('takes "switch" with --method and refuses an active service with LIFECYCLE_DCV_SWITCH_REFUSED', async () => {
    const make = builders(ctx);
    const client = await make.client({ balance: '500.00' });
    const tariff = await make.tariff();
    const { serviceId } = await make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn: 'cli.example.com',
    });
    await startPaidPeriod(ctx, serviceId, ctx.clock.now());
    await setServiceStatus(ctx, { serviceId, from: ['ordered'], to: 'active' });

    const refused = await certbill(
      'service',
      'dcv',
      String(serviceId),
      'switch',
      '--method',
      'http',
      '--json',
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.json.error.code).toBe('LIFECYCLE_DCV_SWITCH_REFUSED');
    expect(refused.json.error.message).toMatch(/is active and its certificate is issued/);

    const noMethod = await certbill('service', 'dcv', String(serviceId), 'switch', '--json');
    expect(noMethod).toMatchObject({
      exitCode: 2,
      json: { error: { message: expect.stringMatching(/--method/) } },
    });
    const badMethod = await certbill(
      'service',
      'dcv',
      String(serviceId),
      'switch',
      '--method',
      'fax',
      '--json',
    );
    expect(badMethod.exitCode).toBe(2);
    const unknown = await certbill('service', 'dcv', String(serviceId), 'swap', '--method', 'dns', '--json');
    expect(unknown.json.error.message).toMatch(/only one is "switch"/);
  });
});
