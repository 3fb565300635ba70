import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverCertificate } from '../../src/provisioning/delivery/deliver-certificate.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { testDialects } from '../support/databases.ts';
import { createLifecycleTestContext, type LifecycleTestContext } from './lifecycle-test-context.ts';

describe.each(testDialects())('a service whose key is not saved on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  afterEach(async () => ctx?.close());

  it('becomes active with the key handed out at order time, serves PEM and refuses PKCS#12', async () => {
    ctx = await createLifecycleTestContext(dialect);
    const moduleId = await ctx.addModule();
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    const order = await ctx.make.order({
      clientId: client.id,
      tariffId: tariff.id,
      cn: 'nokey.example.com',
      dcv: 'email',
      saveKey: false,
    });
    expect(order.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    await ctx.runJobs();
    const waiting = await ctx.show(order.serviceId);
    await ctx.control(`orders/${waiting.caOrderId}/approve`, {});
    const active = await ctx.settle(order.serviceId, 'active');
    expect(active).toMatchObject({ status: 'active', keySaved: false });

    const generations = await listGenerations(ctx.db.kysely, order.serviceId);
    expect(generations.map((g) => g.keyHeld)).toEqual([false]);
    const sealed = await ctx.db.kysely
      .selectFrom('certificate_generations')
      .select('private_key_sealed')
      .where('service_id', '=', order.serviceId)
      .execute();
    expect(sealed).toEqual([{ private_key_sealed: null }]);

    await expect(
      deliverCertificate(ctx, { serviceId: order.serviceId, format: 'p12', password: 'open sesame' }),
    ).rejects.toMatchObject({ code: 'LIFECYCLE_KEY_NOT_HELD' });
    const pem = await deliverCertificate(ctx, { serviceId: order.serviceId, format: 'pem' });
    const leaf = new X509Certificate(pem.body);
    expect(leaf.publicKey.equals(createPublicKey(createPrivateKey(order.privateKeyPem ?? '')))).toBe(true);
  });
});
