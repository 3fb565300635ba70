import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueKey } from '../../../test/support/builders.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  createClientLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import {
  createLifecycleTestContext,
  type LifecycleTestContext,
} from '../../../test/scenarios/lifecycle-test-context.ts';
import { createApiToken } from '../../billing/api-token-repository.ts';
import { creditAccount } from '../../billing/credit-account.ts';
import { getService } from '../../billing/service-repository.ts';
import type { Tariff } from '../../billing/tariff-repository.ts';
import { buildApp, type App } from '../../http/build-app.ts';
import { serviceReissueRoutes } from '../../http/routes/service-reissue.ts';
import { generateKeyAndCsr } from '../../provisioning/keys/generate-key-and-csr.ts';
import { listGenerations, type Generation } from '../../provisioning/lifecycle/generation-repository.ts';
import { registerSubscriptionJobs } from '../../subscriptions/register-subscription-jobs.ts';
import { createUiRoutes } from '../ui-routes.ts';
import { x509Lib } from '../../provisioning/keys/x509-provider.ts';

describe.each(testDialects())('My services and Balance in the client area on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  let app: App;
  let tariff: Tariff;
  let me: PanelLogin;
  let other: PanelLogin;
  let clientId: number;
  let otherClientId: number;
  let httpServiceId: number;
  let emailServiceId: number;
  let multiYearServiceId: number;
  let dnsServiceId: number;
  const registered: { method: string; url: string }[] = [];

  beforeAll(async () => {
    ctx = await createLifecycleTestContext(dialect);
    Object.assign(ctx, { provisioning: ctx.billing.provisioning });
    // The reissue job (placeReissue) beside the lifecycle's poll job.
    registerSubscriptionJobs(ctx.handlers, { modules: ctx.modules, lifecycle: ctx.lifecycle ?? {} });
    const moduleId = await ctx.addModule();
    await ctx.control('accounts/PAR12345_api/balance', { balance: '100000.00' });
    tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    // The panel with every route it registers recorded, so the ownership walk can prove it covers them.
    app = await buildApp(ctx, [
      async (root) => {
        root.addHook('onRoute', (r) => {
          for (const method of [r.method].flat()) registered.push({ method, url: r.url });
        });
      },
      createUiRoutes({ strict: true, cache: false }),
      serviceReissueRoutes,
    ]);
    const mine = await createClientLogin(ctx, { name: 'Ann Example' });
    clientId = mine.clientId;
    await creditAccount(ctx, { clientId, amount: '500.00', idempotencyKey: uniqueKey('credit') });
    me = await loginAs(app, mine);
    const theirs = await createClientLogin(ctx, { name: 'Bob Other' });
    await creditAccount(ctx, {
      clientId: theirs.clientId,
      amount: '7.00',
      idempotencyKey: uniqueKey('credit'),
    });
    other = await loginAs(app, theirs);
    otherClientId = theirs.clientId;

    const order = (cn: string, dcv: string, years = 1) =>
      ctx.make.order({ clientId, tariffId: tariff.id, cn, dcv, years, idempotencyKey: uniqueKey('order') });
    httpServiceId = (await order('web.example.com', 'http')).serviceId;
    emailServiceId = (await order('mail-approved.example.com', 'email')).serviceId;
    multiYearServiceId = (await order('five.example.com', 'email', 5)).serviceId;
    dnsServiceId = (await order('dns.example.com', 'dns')).serviceId;
    await ctx.runJobs();
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
  });

  async function approveAtCa(serviceId: number) {
    let view = await ctx.show(serviceId);
    for (let i = 0; i < 5 && !view.validation?.caOrderId; i++) {
      await ctx.runJobs();
      view = await ctx.show(serviceId);
    }
    const caOrderId = view.validation?.caOrderId ?? '';
    expect(caOrderId, JSON.stringify(view)).not.toBe('');
    await ctx.control(`orders/${caOrderId}/approve`, {});
  }

  /** An Active e-mail-validated service of the signed-in client (approved at the CA, then checked). */
  async function activeService(cn: string, extra: { saveKey?: boolean } = {}) {
    const placed = await ctx.make.order({
      clientId,
      tariffId: tariff.id,
      cn,
      sans: [`www.${cn}`],
      dcv: 'email',
      idempotencyKey: uniqueKey('order'),
      ...extra,
    });
    await ctx.runJobs();
    await approveAtCa(placed.serviceId);
    await postForm(app, `/client/services/${placed.serviceId}/check`, {}, me);
    expect((await ctx.show(placed.serviceId)).status).toBe('active');
    return placed;
  }

  /** Runs jobs (moving the clock a minute at a time) until generation `seq` of the service is issued. */
  async function untilIssued(serviceId: number, seq: number): Promise<Generation> {
    for (let i = 0; i < 20; i++) {
      await ctx.runJobs();
      const g = (await listGenerations(ctx.db.kysely, serviceId)).find((x) => x.seq === seq);
      if (g?.state === 'issued') return g;
      expect(g?.state, JSON.stringify(g?.lastError)).not.toBe('failed');
      ctx.advance(61_000);
    }
    throw new Error(`generation ${seq} of service ${serviceId} was not issued`);
  }

  async function ledgerCount(serviceId: number): Promise<number> {
    const { accountId } = await getService(ctx.db.kysely, serviceId);
    const row = await ctx.db.kysely
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  const spki = (pem: string) =>
    Buffer.from(new (x509Lib().X509Certificate)(pem).publicKey.rawData).toString('base64');

  it('lists the services with CN, product, state, both dates and the action needed mark', async () => {
    const page = await getPage(app, '/client/services', me);
    expect(page.statusCode).toBe(200);
    for (const header of [
      'Domain (CN)',
      'Product',
      'State',
      'Expiration date',
      'Paid until',
      'Next planned reissue',
      'Action needed',
    ]) {
      expect(page.body).toContain(`<th scope="col">${header}</th>`);
    }
    expect(page.body).toContain('web.example.com');
    expect(page.body).toContain('DomainSSL');
    expect(page.body).toContain('action needed');
  });

  it('shows the file path and its exact content for a pending HTTP validation, with a Check now button', async () => {
    const view = await ctx.show(httpServiceId);
    const instructions = view.validation?.instructions;
    expect(instructions?.method).toBe('http');
    const page = await getPage(app, `/client/services/${httpServiceId}`, me);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<code id="http-path">/.well-known/pki-validation/gsdv.txt</code>');
    const content = instructions?.method === 'http' ? instructions.content : '';
    expect(content.length).toBeGreaterThan(10);
    expect(page.body).toContain(`<pre id="http-content" class="mono">${content}</pre>`);
    expect(page.body).toContain('>Check now</button>');
    expect(page.body).toContain('data-pending="1"');
    const status = await getPage(app, `/client/services/${httpServiceId}/status`, me);
    expect(status.json()).toMatchObject({ pending: true, actionNeeded: true });
    expect(status.json().line).toContain('publish the file');
  });

  it('shows the TXT record name and value for a pending DNS validation', async () => {
    const instructions = (await ctx.show(dnsServiceId)).validation?.instructions;
    expect(instructions?.method).toBe('dns');
    const page = await getPage(app, `/client/services/${dnsServiceId}`, me);
    const value = instructions?.method === 'dns' ? instructions.value : '';
    expect(page.body).toContain(`<code id="dns-value">${value}</code>`);
    expect(page.body).toContain('<code class="dns-name">dns.example.com</code>');
    expect(page.body).toContain('publish the TXT record below');
  });

  it('checks a pending validation now and says the CA has not validated yet', async () => {
    const res = await postForm(app, `/client/services/${httpServiceId}/check`, {}, me);
    expect(res.statusCode).toBe(303);
    const page = await getPage(app, res.headers.location as string, me);
    expect(page.body).toContain('Checked now: the CA has not validated the domain yet.');
  });

  it('resends the approval e-mail and changes the approver from the CA list', async () => {
    const page = await getPage(app, `/client/services/${emailServiceId}`, me);
    expect(page.body).toContain('>Resend</button>');
    expect(page.body).toContain('Change approver');
    const resent = await postForm(app, `/client/services/${emailServiceId}/resend`, {}, me);
    expect((await getPage(app, resent.headers.location as string, me)).body).toContain(
      'The CA sent the approval e-mail again.',
    );
    const choose = await getPage(app, `/client/services/${emailServiceId}/approver`, me);
    expect(choose.body).toContain('<label for="approverEmail">Approver address</label>');
    const address = /<option value="(webmaster@[^"]+)"/.exec(choose.body)?.[1];
    expect(address).toBeDefined();
    const changed = await postForm(
      app,
      `/client/services/${emailServiceId}/approver`,
      { approverEmail: address! },
      me,
    );
    expect((await getPage(app, changed.headers.location as string, me)).body).toContain(
      `The approval e-mail now goes to ${address}.`,
    );
  });

  it('issues after approval and "Check now", then offers every download with the right content type', async () => {
    await approveAtCa(emailServiceId);
    const checked = await postForm(app, `/client/services/${emailServiceId}/check`, {}, me);
    expect((await getPage(app, checked.headers.location as string, me)).body).toContain(
      'The CA issued the certificate.',
    );
    const page = await getPage(app, `/client/services/${emailServiceId}`, me);
    expect(page.body).toContain('Active: the certificate is issued.');
    expect(page.body).toMatch(/<dt>Expiration date<\/dt><dd id="expiration-date">\d{4}-\d{2}-\d{2}<\/dd>/);
    expect(page.body).toContain('1-year purchase');
    for (const label of [
      'Download certificate (PEM)',
      'Download chain (PEM)',
      'Download full chain (PEM)',
      'Download PKCS#7',
      'Download ZIP',
      'Download PKCS#12',
    ]) {
      expect(page.body).toContain(label);
    }
    expect(page.body).toContain('<label for="p12-password">PKCS#12 password</label>');

    const get = (format: string) => getPage(app, `/client/services/${emailServiceId}/download/${format}`, me);
    const pem = await get('pem');
    expect(pem.statusCode).toBe(200);
    expect(pem.headers['content-type']).toBe('application/x-pem-file');
    expect(pem.headers['content-disposition']).toBe(
      'attachment; filename="mail-approved.example.com.crt.pem"',
    );
    const cert = new (x509Lib().X509Certificate)(pem.body);
    expect(cert.subject).toContain('mail-approved.example.com');
    expect((await get('fullchain')).body.match(/BEGIN CERTIFICATE/g)!.length).toBeGreaterThan(1);
    expect((await get('chain')).headers['content-type']).toBe('application/x-pem-file');
    expect((await get('p7b')).headers['content-type']).toBe('application/x-pkcs7-certificates');
    expect((await get('zip')).headers['content-type']).toBe('application/zip');
    const p12 = await postForm(
      app,
      `/client/services/${emailServiceId}/download/p12`,
      { password: 'secret-1234' },
      me,
    );
    expect(p12.statusCode).toBe(200);
    expect(p12.headers['content-type']).toBe('application/x-pkcs12');
    const short = await postForm(
      app,
      `/client/services/${emailServiceId}/download/p12`,
      { password: 'x' },
      me,
    );
    expect(short.statusCode).toBe(303);
    expect((await getPage(app, short.headers.location as string, me)).body).toContain(
      'A PKCS#12 file needs a password of at least 4 characters.',
    );
    expect(page.body).toContain('History of certificates');
  });

  it('shows Paid until for a multi-year purchase once issued', async () => {
    await approveAtCa(multiYearServiceId);
    await postForm(app, `/client/services/${multiYearServiceId}/check`, {}, me);
    const page = await getPage(app, `/client/services/${multiYearServiceId}`, me);
    expect(page.body).toMatch(/<dd id="paid-until">20(30|31)-\d{2}-\d{2}<\/dd>/);
  });

  it('shows the balance and the transactions, newest first', async () => {
    const page = await getPage(app, '/client/balance', me);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<p class="big" id="balance">');
    expect(page.body).toContain('<th scope="col" class="num">Balance after</th>');
    const charge = page.body.indexOf('>charge<');
    const credit = page.body.indexOf('>credit<');
    expect(charge).toBeGreaterThan(0);
    expect(credit).toBeGreaterThan(charge);
    const theirs = await getPage(app, '/client/balance', other);
    expect(theirs.body).toContain('7.00 USD');
    expect(theirs.body).not.toContain('>charge<');
  });

  it('pages the transactions 50 at a time', async () => {
    const many = await createClientLogin(ctx);
    for (let i = 0; i < 51; i++) {
      await creditAccount(ctx, {
        clientId: many.clientId,
        amount: '1.00',
        idempotencyKey: uniqueKey('credit'),
      });
    }
    const login = await loginAs(app, many);
    const first = await getPage(app, '/client/balance', login);
    expect(first.body.match(/>credit</g)).toHaveLength(50);
    expect(first.body).toContain('href="/client/balance?page=2" rel="next">Next page</a>');
    const second = await getPage(app, '/client/balance?page=2', login);
    expect(second.body.match(/>credit</g)).toHaveLength(1);
    expect(second.body).not.toContain('Next page');
  });

  it('reissues an Active service with a new key generated by certbill: a new certificate, no charge', async () => {
    const { serviceId } = await activeService('rekey.example.com');
    const before = await listGenerations(ctx.db.kysely, serviceId);
    const old = before.at(-1)!;
    expect(old.state).toBe('issued');
    const entries = await ledgerCount(serviceId);

    const page = await getPage(app, `/client/services/${serviceId}`, me);
    expect(page.body).toContain('<label for="reissue-generate">Generate a new key</label>');
    expect(page.body).toContain('<label for="reissue-csr-mode">Use a new CSR</label>');
    expect(page.body).toContain('<button type="submit" class="primary">Reissue</button>');

    const asked = await postForm(app, `/client/services/${serviceId}/reissue`, { keyMode: 'generate' }, me);
    expect(asked.statusCode).toBe(303);
    const pending = await getPage(app, asked.headers.location as string, me);
    expect(pending.body).toContain(
      'Reissue requested: the certificate for rekey.example.com is being reissued with a new key, at no charge.',
    );
    expect(pending.body).toContain('data-pending="1"');
    expect(pending.body).toContain('Reissue under way');
    expect(pending.body).not.toContain('>Reissue</button>');
    expect((await getPage(app, `/client/services/${serviceId}/status`, me)).json()).toMatchObject({
      pending: true,
    });

    const issued = await untilIssued(serviceId, old.seq + 1);
    expect(issued.kind).toBe('reissue');
    expect(issued.serialNumber).not.toBe(old.serialNumber);
    expect(spki(issued.certificatePem!)).not.toBe(spki(old.certificatePem!));
    expect(issued.keyHeld).toBe(true);
    const paidUntil = (await getService(ctx.db.kysely, serviceId)).paidUntil!;
    expect(new Date(issued.notAfter!).getTime()).toBeLessThanOrEqual(new Date(paidUntil).getTime());
    expect((await listGenerations(ctx.db.kysely, serviceId)).find((g) => g.id === old.id)?.state).toBe(
      'superseded',
    );
    expect(await ledgerCount(serviceId)).toBe(entries);

    const after = await getPage(app, `/client/services/${serviceId}`, me);
    expect(after.body).toContain('Active: the certificate is issued.');
    expect(after.body).toContain(`<td class="mono">${issued.serialNumber}</td>`);
    const pem = await getPage(app, `/client/services/${serviceId}/download/pem`, me);
    expect(spki(pem.body)).toBe(spki(issued.certificatePem!));
    // The new key is sealed under the new generation: the PKCS#12 opens it.
    const p12 = await postForm(
      app,
      `/client/services/${serviceId}/download/p12`,
      { password: 'secret-1234' },
      me,
    );
    expect(p12.statusCode).toBe(200);
    expect(p12.headers['content-type']).toBe('application/x-pkcs12');
  });

  it('reissues with a pasted CSR, refusing another CN or a name the service does not have, and refuses while a reissue is on its way', async () => {
    const { serviceId } = await activeService('own-csr.example.com');
    const seq = (await listGenerations(ctx.db.kysely, serviceId)).at(-1)!.seq;
    const entries = await ledgerCount(serviceId);

    const otherCn = (await generateKeyAndCsr({ commonName: 'other.example.com' })).csrPem;
    const refused = await postForm(
      app,
      `/client/services/${serviceId}/reissue`,
      { keyMode: 'csr', csr: otherCn },
      me,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'The CSR is for &#34;other.example.com&#34; but the order is for &#34;own-csr.example.com&#34;; make a CSR for own-csr.example.com.',
    );
    expect(refused.body).toContain(otherCn.split('\n')[1]);
    const extra = (await generateKeyAndCsr({ commonName: 'own-csr.example.com', sans: ['shop.example.com'] }))
      .csrPem;
    const foreign = await postForm(
      app,
      `/client/services/${serviceId}/reissue`,
      { keyMode: 'csr', csr: extra },
      me,
    );
    expect(foreign.statusCode).toBe(400);
    expect(foreign.body).toContain(
      'The CSR asks for shop.example.com, which is not a name of this certificate',
    );
    const empty = await postForm(
      app,
      `/client/services/${serviceId}/reissue`,
      { keyMode: 'csr', csr: ' ' },
      me,
    );
    expect(empty.body).toContain('Paste the new CSR for own-csr.example.com');
    expect((await listGenerations(ctx.db.kysely, serviceId)).at(-1)!.seq).toBe(seq);

    const made = await generateKeyAndCsr({
      commonName: 'own-csr.example.com',
      sans: ['www.own-csr.example.com'],
      algorithm: 'rsa-2048',
    });
    const asked = await postForm(
      app,
      `/client/services/${serviceId}/reissue`,
      { keyMode: 'csr', csr: made.csrPem },
      me,
    );
    expect(asked.statusCode).toBe(303);
    const again = await postForm(app, `/client/services/${serviceId}/reissue`, { keyMode: 'generate' }, me);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('A new certificate for own-csr.example.com is already on its way');
    const pendingPage = await getPage(app, `/client/services/${serviceId}`, me);
    expect(pendingPage.body).toContain('A new certificate is already on its way from the CA.');

    const issued = await untilIssued(serviceId, seq + 1);
    const csrKey = Buffer.from(
      new (x509Lib().Pkcs10CertificateRequest)(made.csrPem).publicKey.rawData,
    ).toString('base64');
    expect(spki(issued.certificatePem!)).toBe(csrKey);
    expect(issued.keyHeld).toBe(false);
    expect(
      (await listGenerations(ctx.db.kysely, serviceId)).filter((g) => g.kind === 'reissue'),
    ).toHaveLength(1);
    expect(await ledgerCount(serviceId)).toBe(entries);
    expect((await getPage(app, `/client/services/${serviceId}`, me)).body).toContain(
      'certbill does not hold this certificate',
    );
  });

  it('hands a "Do not save the key" client the new key once and keeps no copy', async () => {
    const { serviceId } = await activeService('nokey.example.com', { saveKey: false });
    const page = await getPage(app, `/client/services/${serviceId}`, me);
    expect(page.body).toContain('the new key is shown once after you press Reissue');
    const res = await postForm(app, `/client/services/${serviceId}/reissue`, { keyMode: 'generate' }, me);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Your new private key</h1>');
    const keyPem = /<textarea id="private-key" class="mono" rows="12" readonly>([\s\S]+?)<\/textarea>/.exec(
      res.body,
    )?.[1];
    expect(keyPem).toContain('BEGIN PRIVATE KEY');
    const seq = (await listGenerations(ctx.db.kysely, serviceId)).at(-1)!.seq;
    const issued = await untilIssued(serviceId, seq);
    expect(issued.keyHeld).toBe(false);
    const fromKey = createPublicKey(keyPem!).export({ type: 'spki', format: 'der' }).toString('base64');
    expect(spki(issued.certificatePem!)).toBe(fromKey);
  });

  it('refuses to reissue a service whose first certificate is still being ordered', async () => {
    const page = await getPage(app, `/client/services/${dnsServiceId}`, me);
    expect(page.body).toContain('A reissue is possible once the service is Active.');
    const res = await postForm(app, `/client/services/${dnsServiceId}/reissue`, { keyMode: 'generate' }, me);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('its first certificate is still being ordered');
  });

  it('reissues through the API with a client token for its own service only, and an admin token for any', async () => {
    const { serviceId } = await activeService('api-reissue.example.com');
    const mine = (await createApiToken(ctx, { scope: { kind: 'client', clientId } })).token;
    const theirs = (await createApiToken(ctx, { scope: { kind: 'client', clientId: otherClientId } })).token;
    const admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
    const call = (token: string, payload: object = {}) =>
      app.inject({
        method: 'POST',
        url: `/api/services/${serviceId}/reissue`,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
    const notTheirs = await call(theirs);
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.json().error.code).toBe('BILLING_SERVICE_NOT_FOUND');
    const seq = (await listGenerations(ctx.db.kysely, serviceId)).at(-1)!.seq;
    const own = await call(mine);
    expect(own.statusCode).toBe(202);
    expect(own.json()).toMatchObject({ serviceId, seq: seq + 1, key: 'held' });
    expect(own.json().privateKeyPem).toBeUndefined();
    const busy = await call(admin);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.code).toBe('SUBSCRIPTION_REISSUE_IN_PROGRESS');
    await untilIssued(serviceId, seq + 1);
    const byAdmin = await call(admin, { csr: 'not a csr' });
    expect(byAdmin.statusCode).toBe(400);
    expect(byAdmin.json().error.code).toBe('PROVISIONING_CSR_UNREADABLE');
  });

  it('changes the validation method of a pending order from e-mail to an HTTP file and shows the new instructions', async () => {
    const { serviceId } = await ctx.make.order({
      clientId,
      tariffId: tariff.id,
      cn: 'switch.example.com',
      dcv: 'email',
      idempotencyKey: uniqueKey('order'),
    });
    await ctx.runJobs();
    const page = await getPage(app, `/client/services/${serviceId}`, me);
    expect(page.body).toContain('<legend>Change validation method</legend>');
    expect(page.body).toContain('<label for="switch-dcv-email">E-mail to an approver address</label>');
    expect(page.body).toContain('<label for="switch-dcv-http">HTTP file on the web server</label>');
    expect(page.body).toContain('<label for="switch-dcv-dns">DNS TXT record</label>');
    expect(page.body).toContain('<label for="switch-approver">Approver address</label>');
    expect(page.body).toContain('<button type="submit">Change validation method</button>');
    const approvers = await getPage(app, `/client/services/${serviceId}/approvers`, me);
    expect(approvers.json().approvers).toContain('admin@switch.example.com');

    const wrong = await postForm(
      app,
      `/client/services/${serviceId}/validation-method`,
      { method: 'email', approverEmail: 'someone@elsewhere.example.net' },
      me,
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('someone@elsewhere.example.net is not on the CA&#39;s approver list');
    expect(wrong.body).toContain('<option value="someone@elsewhere.example.net" selected>');

    const switched = await postForm(
      app,
      `/client/services/${serviceId}/validation-method`,
      { method: 'http' },
      me,
    );
    expect(switched.statusCode).toBe(303);
    expect((await getPage(app, switched.headers.location as string, me)).body).toContain(
      'Validation method changed to HTTP file on the web server.',
    );
    let view = await ctx.show(serviceId);
    for (let i = 0; i < 5 && view.validation?.instructions?.method !== 'http'; i++) {
      await ctx.runJobs();
      view = await ctx.show(serviceId);
    }
    const instructions = view.validation?.instructions;
    expect(instructions?.method).toBe('http');
    const after = await getPage(app, `/client/services/${serviceId}`, me);
    expect(after.body).toContain('<code id="http-path">/.well-known/pki-validation/gsdv.txt</code>');
    expect(after.body).toContain(
      `<pre id="http-content" class="mono">${instructions?.method === 'http' ? instructions.content : 'none'}</pre>`,
    );
    expect(after.body).toContain('publish the file below');
    expect(after.body).toContain(
      '<input type="radio" id="switch-dcv-http" name="method" value="http" checked>',
    );
  });

  it("answers 404 on every service route for another client's service, as for one that does not exist", async () => {
    const routes: { method: 'GET' | 'POST'; path: string }[] = [
      { method: 'GET', path: '/client/services/:id' },
      { method: 'GET', path: '/client/services/:id/summary' },
      { method: 'GET', path: '/client/services/:id/status' },
      { method: 'GET', path: '/client/services/:id/approver' },
      { method: 'POST', path: '/client/services/:id/approver' },
      { method: 'POST', path: '/client/services/:id/check' },
      { method: 'POST', path: '/client/services/:id/resend' },
      { method: 'POST', path: '/client/services/:id/reissue' },
      { method: 'POST', path: '/client/services/:id/validation-method' },
      { method: 'GET', path: '/client/services/:id/approvers' },
      ...['pem', 'chain', 'fullchain', 'p7b', 'zip', 'p12'].map((f) => ({
        method: 'GET' as const,
        path: `/client/services/:id/download/${f}`,
      })),
      { method: 'POST', path: '/client/services/:id/download/p12' },
      { method: 'POST', path: '/client/services/:id/download/zip' },
    ];
    // Every route registered under /client/services/:id is in the walk.
    const walked = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const ours = registered.filter((r) => r.url.startsWith('/client/services/:id') && r.method !== 'HEAD');
    expect(ours.length).toBeGreaterThanOrEqual(9);
    for (const r of ours) {
      const concrete = r.url.replace(':format', 'p12');
      expect(walked.has(`${r.method} ${concrete}`), `${r.method} ${r.url} is walked`).toBe(true);
    }
    const calls = await ctx.calls();
    for (const id of [emailServiceId, httpServiceId]) {
      for (const route of routes) {
        const url = route.path.replace(':id', String(id));
        const res =
          route.method === 'GET'
            ? await getPage(app, url, other)
            : await postForm(
                app,
                url,
                {
                  password: 'secret-1234',
                  approverEmail: 'admin@example.com',
                  keyMode: 'generate',
                  method: 'http',
                },
                other,
              );
        expect(res.statusCode, `${route.method} ${url}`).toBe(404);
        expect(res.body, `${route.method} ${url}`).toContain('This service does not exist.');
        const missing = url.replace(`/${id}`, '/999999');
        const none =
          route.method === 'GET'
            ? await getPage(app, missing, other)
            : await postForm(app, missing, {}, other);
        expect(none.statusCode, `${route.method} ${missing}`).toBe(404);
        // The approver lists ask the CA, which the count below must not see.
        if (route.method === 'GET' && !url.endsWith('/approver') && !url.endsWith('/approvers')) {
          expect((await getPage(app, url, me)).statusCode, `own ${url}`).not.toBe(404);
        }
      }
    }
    // Nothing reached the CA on the other client's behalf.
    expect((await ctx.calls()).length).toBe(calls.length);
    const list = await getPage(app, '/client/services', other);
    expect(list.body).not.toContain('web.example.com');
  });
});
