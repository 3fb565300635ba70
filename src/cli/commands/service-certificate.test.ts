import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { runCommands, useDatabaseUrl } from '../../../test/support/cli.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { setServiceStatus } from '../../billing/set-service-status.ts';
import { startPaidPeriod } from '../../billing/start-paid-period.ts';
import { registerServiceCertificateCommands } from './service-certificate.ts';

const certbill = (...argv: string[]) =>
  runCommands((program) => registerServiceCertificateCommands(program.command('service')), argv);

describe.each(testDialects())('certbill service dcv on %s', (dialect) => {
  let ctx: TestContext;
  let restoreUrl: () => void;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    restoreUrl = useDatabaseUrl(ctx.db.url);
  });
  afterAll(async () => {
    restoreUrl();
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
