import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { builders } from '../../../test/support/builders.ts';
import { runCommands, useDatabaseUrl } from '../../../test/support/cli.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { registerServiceCommands } from './service.ts';

// The reissue itself (a new certificate at the CA) is tested through the panel and the API in
// src/ui/client/services.test.ts; here the command's wiring and its refusals.

const certbill = (...argv: string[]) => runCommands(registerServiceCommands, argv);

describe.each(testDialects())('certbill service reissue on %s', (dialect) => {
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
