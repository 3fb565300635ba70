import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModuleSettings } from '../../src/provisioning/module-registry.ts';
import {
  MODULE_FEATURES,
  type Contact,
  type ExtendedValidation,
  type IssuedOutcome,
  type OrderOutcome,
  type Organization,
  type PendingOutcome,
  type PlaceOrderInput,
  type ProcessingModule,
} from '../../src/provisioning/processing-module.ts';
import { ProviderError } from '../../src/provisioning/provider-error.ts';
import { makeTestCsr } from './make-test-csr.ts';

/** Failure classes the suite provokes; a harness may name the CA's raw code for each. */
export type FailureClass =
  'loginRefused' | 'ipNotAllowed' | 'badCsr' | 'cnMismatch' | 'weakKey' | 'tooManySans' | 'balanceTooLow';

/** Drives the CA (or its simulator) from outside: what a domain owner, a CA vetter or a network would do. */
export interface CaDriver {
  /** Approves a pending e-mail validation or OV/EV vetting. */
  approve(caOrderId: string): Promise<void>;
  /** Declines a pending e-mail validation. */
  reject(caOrderId: string): Promise<void>;
  publishTxt(name: string, values: readonly string[]): Promise<void>;
  /** Makes `http://<host><path>` answer `content` for the CA's HTTP check. */
  serveHttpFile(host: string, path: string, content: string): Promise<void>;
  /** Sets the CA account's balance (a decimal in the account's currency). */
  setBalance(amount: string): Promise<void>;
  /** Allows API calls only from `ip` (so this process is refused); `null` allows every caller again. */
  allowOnlyIp(ip: string | null): Promise<void>;
  injectFault(fault: {
    kind: 'http500' | 'http503' | 'soapfault' | 'latency';
    count?: number;
    ms?: number;
  }): Promise<void>;
  clearFaults(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
}

export interface ContractHarness {
  /** A module with working settings. */
  readonly module: ProcessingModule;
  /** A module with some settings changed (wrong password, short timeout, one attempt per query). */
  moduleWith(overrides: Partial<ModuleSettings>): ProcessingModule;
  readonly ca: CaDriver;
  /** The instant the module's clock shows (balance read times are this). */
  now(): Date;
  /** The CA's own code expected for each failure class, when the CA has one. */
  readonly caCodes?: Partial<Record<FailureClass, string>>;
  close(): Promise<void>;
}

const CONTACT: Contact = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  phone: '+44 20 7946 0000',
  email: 'ada@example.com',
};

const ORGANIZATION: Organization = {
  name: 'Example Ltd',
  unit: 'IT',
  address: {
    line1: '1 Example Street',
    city: 'London',
    region: 'London',
    postalCode: 'EC1A 1AA',
    country: 'GB',
    phone: '+44 20 7946 0000',
  },
};

const EV_PERSON = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  title: 'CTO',
  organizationName: 'Example Ltd',
  organizationUnit: 'IT',
  phone: '+44 20 7946 0000',
  email: 'ada@example.com',
};

const EXTENDED: ExtendedValidation = {
  businessCategory: 'private-organization',
  requestor: EV_PERSON,
  approver: { ...EV_PERSON, firstName: 'Charles', lastName: 'Babbage', email: 'charles@example.com' },
  signer: {
    organizationName: 'Example Ltd',
    firstName: 'Grace',
    lastName: 'Hopper',
    title: 'CEO',
    phone: '+44 20 7946 0001',
    email: 'grace@example.com',
  },
  jurisdiction: { country: 'GB', registrationNumber: '01234567' },
};

let counter = 0;
/** A fresh name per test, so no order of one test meets another's. */
function uniqueDomain(label = 'shop'): string {
  counter += 1;
  return `${label}${counter}-${process.pid}.example.com`;
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error('expected the call to fail with a ProviderError');
}

function expectPending(outcome: OrderOutcome): PendingOutcome {
  expect(outcome.status).toBe('pending');
  return outcome as PendingOutcome;
}

function expectIssued(outcome: OrderOutcome): IssuedOutcome {
  if (outcome.status !== 'issued') throw new Error(`expected issued, got ${JSON.stringify(outcome)}`);
  return outcome;
}

/**
 * The conformance suite every processing module passes: each method, each validation flow to an
 * issued certificate, cancel/revoke/reissue, the declared-unsupported features, and each failure
 * class turned into the right ProviderError. `setup` starts the CA (or its simulator) and builds the
 * modules; the suite drives the CA through the harness's `ca` driver.
 *
 * @example
 *   runProcessingModuleContract('GlobalSign on the simulator', async () => startGlobalSignHarness());
 */
export function runProcessingModuleContract(name: string, setup: () => Promise<ContractHarness>): void {
  describe(`processing-module contract: ${name}`, () => {
    let h: ContractHarness;
    let module: ProcessingModule;

    beforeAll(async () => {
      h = await setup();
      module = h.module;
    });
    afterAll(async () => {
      await h?.close();
    });
    afterEach(async () => {
      await h.ca.clearFaults();
      await h.ca.allowOnlyIp(null);
    });

    function order(commonName: string, extra: Partial<PlaceOrderInput> & { csr: string }): PlaceOrderInput {
      return { product: 'DV', commonName, months: 12, contact: CONTACT, ...extra };
    }

    async function issueByDns(commonName: string, sans: readonly string[] = []): Promise<IssuedOutcome> {
      const csr = await makeTestCsr(commonName, { sans });
      const placed = await module.placeOrder(order(commonName, { csr, sans, dcv: { method: 'dns' } }));
      const v = expectPending(placed.outcome).validation;
      if (v?.method !== 'dns') throw new Error('expected DNS instructions');
      await h.ca.publishTxt(v.names[v.names.length - 1]!, [v.value]);
      return expectIssued(
        await module.runValidationAction({
          caOrderId: placed.caOrderId,
          commonName,
          action: { kind: 'verify-dns', name: v.names[v.names.length - 1]! },
        }),
      );
    }

    it('declares every feature once, as supported or as unsupported with a reason', () => {
      const { supported, unsupported } = module.capabilities;
      const declared = [...supported, ...unsupported.map((u) => u.feature)];
      expect([...declared].sort()).toEqual([...MODULE_FEATURES].sort());
      for (const u of unsupported) expect(u.reason.length).toBeGreaterThan(20);
    });

    it('checks the connection and reports the balance with the instant it was read', async () => {
      const check = await module.checkConnection({});
      expect(check.balance?.currency).toMatch(/^[A-Z]{3}$/);
      const balance = await module.balance({});
      expect(Number.isSafeInteger(balance.amountMinor)).toBe(true);
      expect(balance.readAt).toBe(h.now().toISOString());
    });

    it('lists the approver addresses of a name', async () => {
      const domain = uniqueDomain();
      const { approvers } = await module.approverList({ commonName: domain });
      expect(approvers.length).toBeGreaterThan(0);
      expect(approvers.map((a) => a.email)).toContain(`admin@${domain}`);
    });

    it('issues a DV certificate by e-mail once the first approver of the list approves', async () => {
      const cn = uniqueDomain();
      const csr = await makeTestCsr(cn, { sans: [`www.${cn}`] });
      const { approvers } = await module.approverList({ commonName: cn });
      const placed = await module.placeOrder(
        order(cn, { csr, sans: [`www.${cn}`], dcv: { method: 'email' } }),
      );
      const pending = expectPending(placed.outcome);
      expect(pending.reason).toBe('domain-validation');
      expect(pending.validation).toEqual({ method: 'email', approverEmail: approvers[0]!.email });
      expectPending(await module.fetchOrder({ caOrderId: placed.caOrderId }));

      await h.ca.approve(placed.caOrderId);
      const issued = expectIssued(await module.fetchOrder({ caOrderId: placed.caOrderId }));
      expect(issued.certificate.commonName).toBe(cn);
      expect(issued.certificate.names).toEqual(expect.arrayContaining([cn, `www.${cn}`]));
      expect(issued.certificate.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      expect(issued.certificate.chainPems.length).toBeGreaterThan(0);
      expect(issued.certificate.rootPem).toMatch(/BEGIN CERTIFICATE/);
      expect(issued.certificate.chainPems).not.toContain(issued.certificate.rootPem);
      expect(issued.certificate.serialNumber).toMatch(/^[0-9a-f]+$/);
      const days =
        (Date.parse(issued.certificate.notAfter) - Date.parse(issued.certificate.notBefore)) / 86_400_000;
      expect(days).toBeGreaterThan(1);
      expect(days).toBeLessThanOrEqual(398);
      expect(issued.validations.map((v) => [v.name, v.method])).toEqual(
        expect.arrayContaining([
          [cn, 'email'],
          [`www.${cn}`, 'email'],
        ]),
      );
      expect(Number.isNaN(Date.parse(issued.validations[0]!.validatedAt))).toBe(false);
    });

    it('places a prepared e-mail order once, even when placeOrder is repeated with the reserved id', async () => {
      const cn = uniqueDomain();
      const csr = await makeTestCsr(cn);
      const prepared = await module.prepareOrder({ product: 'DV_LOW', commonName: cn });
      expect(prepared.reservedOrderId).not.toBe('');
      const input = order(cn, {
        product: 'DV_LOW',
        csr,
        dcv: {
          method: 'email',
          reservedOrderId: prepared.reservedOrderId,
          approverEmail: prepared.approvers[1]!.email,
        },
      });
      const first = await module.placeOrder(input);
      expect(first).toMatchObject({ caOrderId: prepared.reservedOrderId, alreadyPlaced: false });
      const afterFirst = await module.balance({});
      const again = await module.placeOrder(input);
      expect(again.caOrderId).toBe(prepared.reservedOrderId);
      expect(again.alreadyPlaced).toBe(true);
      expect(expectPending(again.outcome).validation).toEqual({
        method: 'email',
        approverEmail: prepared.approvers[1]!.email,
      });
      expect((await module.balance({})).amountMinor).toBe(afterFirst.amountMinor);
    });

    it('resends the approval mail and moves it to another approver address', async () => {
      const cn = uniqueDomain();
      const csr = await makeTestCsr(cn);
      const placed = await module.placeOrder(order(cn, { csr, dcv: { method: 'email' } }));
      expectPending(
        await module.runValidationAction({
          caOrderId: placed.caOrderId,
          commonName: cn,
          action: { kind: 'resend-email' },
        }),
      );
      const changed = expectPending(
        await module.runValidationAction({
          caOrderId: placed.caOrderId,
          commonName: cn,
          action: { kind: 'change-approver', approverEmail: `hostmaster@${cn}` },
        }),
      );
      expect(changed.validation).toEqual({ method: 'email', approverEmail: `hostmaster@${cn}` });
    });

    it('reports a declined e-mail validation as rejected, not as an error', async () => {
      const cn = uniqueDomain();
      const placed = await module.placeOrder(
        order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'email' } }),
      );
      await h.ca.reject(placed.caOrderId);
      const outcome = await module.fetchOrder({ caOrderId: placed.caOrderId });
      expect(outcome).toMatchObject({ status: 'rejected', reason: 'validation-rejected' });
    });

    it('issues a DV certificate by HTTP file: instructions, a failed check while missing, then issue', async () => {
      const cn = uniqueDomain();
      const placed = await module.placeOrder(
        order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'http' } }),
      );
      const v = expectPending(placed.outcome).validation;
      if (v?.method !== 'http') throw new Error(`expected HTTP instructions, got ${JSON.stringify(v)}`);
      expect(v.path).toMatch(/^\/\.well-known\/pki-validation\//);
      expect(v.content.length).toBeGreaterThan(8);
      expect(v.hosts).toContain(cn);

      const early = expectPending(
        await module.runValidationAction({
          caOrderId: placed.caOrderId,
          commonName: cn,
          action: { kind: 'verify-http' },
        }),
      );
      expect(early.lastCheckFailed?.message).toBeTruthy();

      await h.ca.serveHttpFile(cn, v.path, v.content);
      const issued = expectIssued(
        await module.runValidationAction({
          caOrderId: placed.caOrderId,
          commonName: cn,
          action: { kind: 'verify-http' },
        }),
      );
      expect(issued.validations).toEqual([{ name: cn, method: 'http', validatedAt: h.now().toISOString() }]);
      expectIssued(await module.fetchOrder({ caOrderId: placed.caOrderId }));
    });

    it('issues a wildcard DV certificate with SANs of every kind by DNS TXT record', async () => {
      const base = uniqueDomain('zone');
      const cn = `*.${base}`;
      const sans = [`mail.${base}`, `api.${base}`, `other-${base}`, '203.0.113.10'];
      const issued = await issueByDns(cn, sans);
      expect(issued.certificate.commonName).toBe(cn);
      expect(issued.certificate.names).toEqual(expect.arrayContaining(sans));
      expect(issued.validations.every((v) => v.method === 'dns')).toBe(true);
      const fetched = expectIssued(await module.fetchOrder({ caOrderId: issued.caOrderId }));
      expect(fetched.certificate.serialNumber).toBe(issued.certificate.serialNumber);
      expect(new Set(fetched.validations.map((v) => v.method))).toEqual(new Set(['dns']));
    });

    it('issues an OV certificate once the CA has vetted the organization', async () => {
      const cn = uniqueDomain();
      const placed = await module.placeOrder({
        product: 'OV',
        commonName: cn,
        csr: await makeTestCsr(cn),
        months: 12,
        contact: CONTACT,
        organization: ORGANIZATION,
      });
      expect(expectPending(placed.outcome).reason).toBe('organization-vetting');
      expect(expectPending(await module.fetchOrder({ caOrderId: placed.caOrderId })).reason).toBe(
        'organization-vetting',
      );
      await h.ca.approve(placed.caOrderId);
      const issued = expectIssued(await module.fetchOrder({ caOrderId: placed.caOrderId }));
      expect(issued.validations[0]?.method).toBe('ca-vetting');
    });

    it('issues an EV certificate with requestor, approver, signer and jurisdiction', async () => {
      const cn = uniqueDomain();
      const placed = await module.placeOrder({
        product: 'EV',
        commonName: cn,
        sans: [`www.${cn}`],
        csr: await makeTestCsr(cn, { sans: [`www.${cn}`] }),
        months: 12,
        contact: CONTACT,
        organization: ORGANIZATION,
        extendedValidation: EXTENDED,
      });
      expect(expectPending(placed.outcome).reason).toBe('organization-vetting');
      await h.ca.approve(placed.caOrderId);
      const issued = expectIssued(await module.fetchOrder({ caOrderId: placed.caOrderId }));
      expect(issued.certificate.names).toContain(`www.${cn}`);
    });

    it('refuses an OV order without organization data before calling the CA', async () => {
      const cn = uniqueDomain();
      await h.ca.setBalance('0.00');
      try {
        await expect(
          module.placeOrder({
            product: 'OV',
            commonName: cn,
            csr: await makeTestCsr(cn),
            months: 12,
            contact: CONTACT,
          }),
        ).rejects.toMatchObject({ code: 'PROVISIONING_INVALID_ORDER' });
      } finally {
        await h.ca.setBalance('100000.00');
      }
    });

    it('cancels a pending order, and a second cancel is a no-op', async () => {
      const cn = uniqueDomain();
      const placed = await module.placeOrder(
        order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'dns' } }),
      );
      expect(await module.cancel({ caOrderId: placed.caOrderId })).toEqual({
        caOrderId: placed.caOrderId,
        alreadyDone: false,
      });
      expect(await module.fetchOrder({ caOrderId: placed.caOrderId })).toMatchObject({
        status: 'rejected',
        reason: 'cancelled',
      });
      expect(await module.cancel({ caOrderId: placed.caOrderId })).toEqual({
        caOrderId: placed.caOrderId,
        alreadyDone: true,
      });
    });

    it('revokes an issued certificate, and a second revoke is a no-op', async () => {
      const issued = await issueByDns(uniqueDomain());
      expect(await module.revoke({ caOrderId: issued.caOrderId })).toEqual({
        caOrderId: issued.caOrderId,
        alreadyDone: false,
      });
      expect(await module.fetchOrder({ caOrderId: issued.caOrderId })).toMatchObject({
        status: 'rejected',
        reason: 'revoked',
      });
      await h.ca.advanceClock(2 * 3_600_000);
      expect(await module.fetchOrder({ caOrderId: issued.caOrderId })).toMatchObject({
        status: 'rejected',
        reason: 'revoked',
      });
      expect(await module.revoke({ caOrderId: issued.caOrderId })).toEqual({
        caOrderId: issued.caOrderId,
        alreadyDone: true,
      });
    });

    it('reissues an issued certificate with a new key and names as a new CA order', async () => {
      const cn = uniqueDomain();
      const first = await issueByDns(cn, [`www.${cn}`]);
      const reissued = await module.reissue({
        caOrderId: first.caOrderId,
        csr: await makeTestCsr(cn, { sans: [`www.${cn}`, `api.${cn}`] }),
        sans: [`www.${cn}`, `api.${cn}`],
      });
      expect(reissued.targetCaOrderId).toBe(first.caOrderId);
      expect(reissued.caOrderId).not.toBe(first.caOrderId);
      const issued = expectIssued(await module.fetchOrder({ caOrderId: reissued.caOrderId }));
      expect(issued.certificate.names).toEqual(expect.arrayContaining([cn, `www.${cn}`, `api.${cn}`]));
      expect(issued.certificate.serialNumber).not.toBe(first.certificate.serialNumber);
      expect(issued.validations).toEqual([]);
    });

    it('holds a suspicious name for review as pending, with the warning', async () => {
      const cn = uniqueDomain('paypal-login');
      const placed = await module.placeOrder(
        order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'dns' } }),
      );
      expect(expectPending(placed.outcome).reason).toBe('phishing-review');
      expect(placed.warnings.length).toBeGreaterThan(0);
    });

    describe('declared-unsupported features are refused with their reason', () => {
      it('refuses what it declares unsupported, naming the feature', async () => {
        const unsupported = new Set(module.capabilities.unsupported.map((u) => u.feature));
        const cn = uniqueDomain();
        const wild = `*.${cn}`;
        const probes: [string, () => Promise<unknown>][] = [
          [
            'switch-dcv-method',
            () =>
              module.runValidationAction({
                caOrderId: 'X',
                commonName: cn,
                action: { kind: 'switch-method', method: 'dns' },
              }),
          ],
          [
            'wildcard-http-validation',
            async () =>
              module.placeOrder(order(wild, { csr: await makeTestCsr(wild), dcv: { method: 'http' } })),
          ],
          [
            'ev-wildcard',
            async () =>
              module.placeOrder({
                product: 'EV',
                commonName: wild,
                csr: await makeTestCsr(wild),
                months: 12,
                contact: CONTACT,
                organization: ORGANIZATION,
                extendedValidation: EXTENDED,
              }),
          ],
        ];
        let probed = 0;
        for (const [feature, probe] of probes) {
          if (!unsupported.has(feature as never)) continue;
          probed += 1;
          await expect(probe(), feature).rejects.toMatchObject({
            code: 'PROVISIONING_FEATURE_UNSUPPORTED',
            details: { feature },
          });
        }
        expect(probed).toBeGreaterThan(0);
      });
    });

    describe('failures become ProviderErrors of the right class', () => {
      function expectCaCode(e: ProviderError, failure: FailureClass): void {
        const code = h.caCodes?.[failure];
        if (code) expect(e.caCodes).toContain(code);
      }

      it('a refused login is a credentials error, not retried', async () => {
        const e = await rejection(h.moduleWith({ password: 'wrong-password' }).checkConnection({}));
        expect(e).toMatchObject({
          code: 'PROVISIONING_CA_LOGIN_FAILED',
          party: 'credentials',
          retryable: false,
        });
        expectCaCode(e, 'loginRefused');
      });

      it('a caller IP the CA does not allow is a source-ip error', async () => {
        await h.ca.allowOnlyIp('192.0.2.10');
        const e = await rejection(module.checkConnection({}));
        expect(e).toMatchObject({
          code: 'PROVISIONING_CA_IP_NOT_ALLOWED',
          party: 'source-ip',
          retryable: false,
        });
        expectCaCode(e, 'ipNotAllowed');
      });

      it('a CA slower than the timeout is a retryable timeout', async () => {
        await h.ca.injectFault({ kind: 'latency', ms: 1_500, count: 1 });
        const e = await rejection(
          h.moduleWith({ timeouts: { readMs: 200 }, queryAttempts: 1 }).checkConnection({}),
        );
        expect(e).toMatchObject({
          code: 'PROVISIONING_CA_TIMEOUT',
          party: 'transport',
          transportCause: 'timeout',
          retryable: true,
        });
      });

      it('a SOAP fault keeps its cause and says whether to retry', async () => {
        await h.ca.injectFault({ kind: 'soapfault', count: 1 });
        const e = await rejection(h.moduleWith({ queryAttempts: 1 }).checkConnection({}));
        expect(e.transportCause).toBe('soap-fault');
        expect(e.code).toBe(e.retryable ? 'PROVISIONING_CA_FAILURE' : 'PROVISIONING_CA_REJECTED');
      });

      it('HTTP 500 on an order call leaves the outcome unknown; HTTP 503 does not', async () => {
        const cn = uniqueDomain();
        const placed = await module.placeOrder(
          order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'dns' } }),
        );
        await h.ca.injectFault({ kind: 'http500', count: 1 });
        const e500 = await rejection(module.cancel({ caOrderId: placed.caOrderId }));
        expect(e500).toMatchObject({
          code: 'PROVISIONING_CA_FAILURE',
          retryable: true,
          outcomeUnknown: true,
        });
        await h.ca.injectFault({ kind: 'http503', count: 1 });
        const e503 = await rejection(module.cancel({ caOrderId: placed.caOrderId }));
        expect(e503).toMatchObject({
          code: 'PROVISIONING_CA_FAILURE',
          retryable: true,
          outcomeUnknown: false,
        });
        expect(e503.info.httpStatus).toBe(503);
      });

      it('an unreadable CSR is refused as order data', async () => {
        const cn = uniqueDomain();
        const broken = '-----BEGIN CERTIFICATE REQUEST-----\nMIIBbroken\n-----END CERTIFICATE REQUEST-----\n';
        const e = await rejection(module.placeOrder(order(cn, { csr: broken, dcv: { method: 'dns' } })));
        expect(e).toMatchObject({
          code: 'PROVISIONING_CA_REJECTED_DATA',
          party: 'client-data',
          retryable: false,
        });
        expectCaCode(e, 'badCsr');
      });

      it('a CSR for another name than the order is refused as order data', async () => {
        const cn = uniqueDomain();
        const e = await rejection(
          module.placeOrder(
            order(cn, { csr: await makeTestCsr(uniqueDomain('other')), dcv: { method: 'email' } }),
          ),
        );
        expect(e).toMatchObject({ code: 'PROVISIONING_CA_REJECTED_DATA', party: 'client-data' });
        expectCaCode(e, 'cnMismatch');
      });

      it('a weak key is refused as order data', async () => {
        const cn = uniqueDomain();
        const e = await rejection(
          module.placeOrder(
            order(cn, { csr: await makeTestCsr(cn, { key: 'rsa1024' }), dcv: { method: 'dns' } }),
          ),
        );
        expect(e).toMatchObject({ code: 'PROVISIONING_CA_REJECTED_DATA', party: 'client-data' });
        expectCaCode(e, 'weakKey');
      });

      it('more SANs than the CA allows are refused as order data', async () => {
        const cn = uniqueDomain();
        const sans = Array.from({ length: 101 }, (_, i) => `n${i}.${cn}`);
        const e = await rejection(
          module.placeOrder(order(cn, { csr: await makeTestCsr(cn), sans, dcv: { method: 'dns' } })),
        );
        expect(e).toMatchObject({ code: 'PROVISIONING_CA_REJECTED_DATA', party: 'client-data' });
        expectCaCode(e, 'tooManySans');
      });

      it('a CA account short of money is a balance error', async () => {
        const cn = uniqueDomain();
        await h.ca.setBalance('0.00');
        try {
          const e = await rejection(
            module.placeOrder(order(cn, { csr: await makeTestCsr(cn), dcv: { method: 'dns' } })),
          );
          expect(e).toMatchObject({
            code: 'PROVISIONING_CA_BALANCE_TOO_LOW',
            party: 'ca-balance',
            retryable: false,
          });
          expectCaCode(e, 'balanceTooLow');
        } finally {
          await h.ca.setBalance('100000.00');
        }
      });
    });
  });
}
