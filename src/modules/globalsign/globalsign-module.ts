import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors/index.ts';
import { assertCurrency, currencyExponent } from '../../core/money.ts';
import type {
  ModuleDeps,
  ModuleKind,
  ModuleRegistry,
  ModuleSettings,
} from '../../provisioning/module-registry.ts';
import type {
  ApproverList,
  ApproverListInput,
  BalanceInput,
  CancelInput,
  CancelledOrder,
  ConnectionCheck,
  ConnectionCheckInput,
  FetchOrderInput,
  ModuleBalance,
  ModuleCapabilities,
  OrderOutcome,
  PendingOutcome,
  PlacedOrder,
  PlaceOrderInput,
  PreparedOrder,
  PrepareOrderInput,
  ProcessingModule,
  ReissuedOrder,
  ReissueInput,
  RevokedOrder,
  UnsupportedFeature,
  RevokeInput,
  ValidationActionInput,
} from '../../provisioning/processing-module.ts';
import { MODULE_FEATURES } from '../../provisioning/processing-module.ts';
import { ProviderError } from '../../provisioning/provider-error.ts';
import { GLOBALSIGN_ENDPOINTS, GlobalSignClient } from './globalsign-client.ts';
import { asProvider } from './module-errors.ts';
import {
  baseNameOf,
  contactOf,
  evPartiesOf,
  isDv,
  orderParametersOf,
  ovOrganizationOf,
  sanEntriesOf,
} from './module-order-mapping.ts';
import { HTTP_VALIDATION_PATH, metaTagToken, outcomeOfDetail, outcomeOfIssue } from './module-outcomes.ts';
import type { AccountSnapshotResult, CsrProductType, ResultMeta } from './types.ts';

export const GLOBALSIGN_KIND = 'globalsign';

/** What the GlobalSign module cannot do, with the reason and what to do instead. */
const GLOBALSIGN_UNSUPPORTED: readonly UnsupportedFeature[] = [
  {
    feature: 'switch-dcv-method',
    reason:
      'GlobalSign ties the validation method to the order (DVOrder, URLVerification, DVDNSOrder are separate orders); cancel the order and place a new one with the other method.',
  },
  {
    feature: 'wildcard-http-validation',
    reason:
      'GlobalSign does not validate wildcard names by HTTP file since 2021-11-28; use DNS or e-mail validation.',
  },
  {
    feature: 'ev-wildcard',
    reason: 'EV certificates cannot hold wildcard names (CA/Browser Forum EV Guidelines).',
  },
  {
    feature: 'ca-generated-key',
    reason:
      "GlobalSign's AutoCSR orders are limited to IntranetSSL; certbill generates the key and CSR itself.",
  },
];

/** What the GlobalSign module does and, with the reason, what it does not. */
export const GLOBALSIGN_CAPABILITIES: ModuleCapabilities = {
  supported: MODULE_FEATURES.filter((f) => !GLOBALSIGN_UNSUPPORTED.some((u) => u.feature === f)),
  unsupported: GLOBALSIGN_UNSUPPORTED,
};

/** How the whole order status is asked for: every Return* option but PKCS#12, which only AutoCSR orders have. */
const FULL_QUERY = {
  orderOption: true,
  certificateInfo: true,
  fulfillment: true,
  caCerts: true,
  originalCsr: true,
  sanEntries: true,
} as const;

function unsupported(feature: string): AppError {
  const entry = GLOBALSIGN_CAPABILITIES.unsupported.find((u) => u.feature === feature);
  return new AppError('PROVISIONING_FEATURE_UNSUPPORTED', `GlobalSign: ${entry?.reason ?? feature}`, {
    feature,
  });
}

/**
 * A decimal balance in minor units of `currency`; GlobalSign may send more decimals than the
 * currency has (`0.00` JPY), so surplus digits are rounded half up.
 */
export function balanceToMinor(text: string, currency: string): number {
  const m = /^\s*(-)?(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!m) {
    throw new AppError(
      'PROVISIONING_CA_BAD_ANSWER',
      `GlobalSign sent a balance that is not a number: "${text}".`,
    );
  }
  const exp = currencyExponent(currency);
  const fraction = (m[3] ?? '').padEnd(exp + 1, '0');
  let minor = Number(m[2]) * 10 ** exp + Number(fraction.slice(0, exp) || '0');
  if (Number(fraction[exp]) >= 5) minor += 1;
  return m[1] ? -minor : minor;
}

/**
 * The GlobalSign processing module: the contract on the GCC SOAP client. DV by e-mail (DecodeCSR →
 * GetDVApproverList → DVOrder), by HTTP file (URLVerification → URLVerificationForIssue) and by DNS
 * (DVDNSOrder → DVDNSVerificationForIssue); OV (OVOrder) and EV (EVOrder) wait for GlobalSign's
 * vetting. Orders are looked up with GetOrderByOrderID with every Return* option.
 *
 * @example
 *   const module = new GlobalSignModule({ username: 'PAR12345_api', password, baseUrl: GLOBALSIGN_ENDPOINTS.test }, { clock, logger });
 *   const placed = await module.placeOrder({ product: 'DV', commonName: 'example.com', csr, months: 12, dcv: { method: 'dns' }, contact });
 *   placed.outcome; // { status: 'pending', reason: 'domain-validation', validation: { method: 'dns', recordType: 'TXT', value: 'globalsign-domain-verification=…', names: [...] } }
 */
export class GlobalSignModule implements ProcessingModule {
  readonly kind = GLOBALSIGN_KIND;
  readonly capabilities = GLOBALSIGN_CAPABILITIES;
  private readonly client: GlobalSignClient;
  private readonly clock: Clock;

  constructor(settings: ModuleSettings, deps: ModuleDeps) {
    this.clock = deps.clock;
    this.client = new GlobalSignClient({
      baseUrl: settings.baseUrl,
      username: settings.username,
      password: settings.password,
      ...(settings.sourceAddress ? { sourceAddress: settings.sourceAddress } : {}),
      ...(settings.timeouts ? { timeouts: settings.timeouts } : {}),
      ...(settings.queryAttempts ? { retry: { attempts: settings.queryAttempts } } : {}),
      logger: deps.logger,
      clock: deps.clock,
    });
  }

  async checkConnection(_input: ConnectionCheckInput): Promise<ConnectionCheck> {
    const snapshot = await asProvider(() => this.client.accountSnapshot());
    try {
      return { balance: this.balanceOf(snapshot) };
    } catch {
      // Login and reachability are proven; an unreadable balance does not fail the check.
      return {};
    }
  }

  async balance(_input: BalanceInput): Promise<ModuleBalance> {
    return this.balanceOf(await asProvider(() => this.client.accountSnapshot()));
  }

  async approverList(input: ApproverListInput): Promise<ApproverList> {
    const list = await asProvider(() =>
      this.client.getDvApproverList({
        fqdn: baseNameOf(input.commonName),
        sanEntries: sanEntriesOf(input.commonName, input.sans),
      }),
    );
    return { approvers: list.approvers.map((a) => ({ email: a.email, type: a.type })) };
  }

  async prepareOrder(input: PrepareOrderInput): Promise<PreparedOrder> {
    if (!isDv(input.product)) {
      throw new AppError(
        'PROVISIONING_INVALID_ORDER',
        `Only DV e-mail orders reserve an order id at GlobalSign; ${input.product} orders get theirs from placeOrder.`,
        { field: 'product' },
      );
    }
    const list = await asProvider(() =>
      this.client.getDvApproverList({
        fqdn: baseNameOf(input.commonName),
        sanEntries: sanEntriesOf(input.commonName, input.sans),
      }),
    );
    return {
      reservedOrderId: list.orderId,
      approvers: list.approvers.map((a) => ({ email: a.email, type: a.type })),
    };
  }

  async placeOrder(input: PlaceOrderInput): Promise<PlacedOrder> {
    const contact = contactOf(input.contact);
    const wildcard = input.commonName.startsWith('*.');
    if (input.product === 'EV' && wildcard) throw unsupported('ev-wildcard');
    const method = isDv(input.product) ? (input.dcv?.method ?? 'email') : 'email';
    if (isDv(input.product) && method === 'http' && wildcard) throw unsupported('wildcard-http-validation');
    const order = orderParametersOf(input, method);
    const sanEntries = sanEntriesOf(input.commonName, input.sans);
    const sans = sanEntries.length ? { sanEntries } : {};
    const ov = input.product === 'OV' ? ovOrganizationOf(input.organization) : undefined;
    const ev = input.product === 'EV' ? evPartiesOf(input.organization, input.extendedValidation) : undefined;
    const productType: CsrProductType = input.product;
    await asProvider(() => this.client.decodeCsr({ csr: order.csr, productType }));

    if (ov) {
      const r = await asProvider(() => this.client.ovOrder({ order, organization: ov, contact, ...sans }));
      return this.placed(r.orderId, r, {
        reason: 'organization-vetting',
        validation: { method: 'ca-vetting' },
      });
    }
    if (ev) {
      const r = await asProvider(() => this.client.evOrder({ order, ...ev, contact, ...sans }));
      return this.placed(r.orderId, r, {
        reason: 'organization-vetting',
        validation: { method: 'ca-vetting' },
      });
    }
    if (method === 'http') {
      const r = await asProvider(() => this.client.urlVerification({ order, contact, ...sans }));
      return this.placed(r.orderId, r, {
        reason: 'domain-validation',
        validation: {
          method: 'http',
          path: HTTP_VALIDATION_PATH,
          content: metaTagToken(r.metaTag),
          hosts: r.verificationUrls.map(hostOf),
        },
      });
    }
    if (method === 'dns') {
      const r = await asProvider(() => this.client.dvDnsOrder({ order, contact, ...sans }));
      return this.placed(r.orderId, r, {
        reason: 'domain-validation',
        validation: { method: 'dns', recordType: 'TXT', value: r.dnsTxt, names: r.verificationFqdns },
      });
    }
    const dcv = input.dcv?.method === 'email' ? input.dcv : undefined;
    let orderId = dcv?.reservedOrderId;
    let approverEmail = dcv?.approverEmail?.trim().toLowerCase();
    if (!orderId || !approverEmail) {
      const list = await asProvider(() =>
        this.client.getDvApproverList({ fqdn: baseNameOf(input.commonName), ...sans }),
      );
      orderId ??= list.orderId;
      approverEmail ??= list.approvers[0]?.email;
    }
    if (!approverEmail) {
      throw new AppError(
        'PROVISIONING_INVALID_ORDER',
        `GlobalSign offers no approver address for ${input.commonName}; use HTTP or DNS validation.`,
        { field: 'dcv.approverEmail' },
      );
    }
    const id = orderId;
    const email = approverEmail;
    try {
      const r = await asProvider(
        () => this.client.dvOrder({ order, orderId: id, approverEmail: email, contact, ...sans }),
        id,
      );
      return this.placed(id, r, {
        reason: 'domain-validation',
        validation: { method: 'email', approverEmail: email },
      });
    } catch (e) {
      // −4004: this reserved id was already ordered, typically by an earlier attempt whose answer was lost.
      if (!(e instanceof ProviderError && e.hasCaCode('-4004'))) throw e;
      const outcome = await this.fetchOrder({ caOrderId: id });
      return { caOrderId: id, alreadyPlaced: true, outcome, warnings: [] };
    }
  }

  async fetchOrder(input: FetchOrderInput): Promise<OrderOutcome> {
    const r = await asProvider(
      () => this.client.getOrderByOrderId(input.caOrderId, FULL_QUERY),
      input.caOrderId,
    );
    return outcomeOfDetail(input.caOrderId, r.detail);
  }

  async runValidationAction(input: ValidationActionInput): Promise<OrderOutcome> {
    const { caOrderId, action } = input;
    switch (action.kind) {
      case 'resend-email':
        await asProvider(() => this.client.resendEmail({ orderId: caOrderId }), caOrderId);
        return this.fetchOrder({ caOrderId });
      case 'change-approver':
        await asProvider(
          () =>
            this.client.changeApproverEmail({
              orderId: caOrderId,
              approverEmail: action.approverEmail.trim().toLowerCase(),
              fqdn: baseNameOf(input.commonName),
            }),
          caOrderId,
        );
        return this.fetchOrder({ caOrderId });
      case 'verify-http': {
        const host = action.host ?? input.commonName;
        return this.verify(caOrderId, 'http', () =>
          this.client.urlVerificationForIssue({ orderId: caOrderId, approverUrl: `http://${host}` }),
        );
      }
      case 'verify-dns': {
        const name = action.name ?? baseNameOf(input.commonName);
        return this.verify(caOrderId, 'dns', () =>
          this.client.dvDnsVerificationForIssue({ orderId: caOrderId, approverFqdn: name }),
        );
      }
      case 'switch-method':
        throw unsupported('switch-dcv-method');
    }
  }

  /**
   * ReIssue of the target order with the new CSR. GlobalSign's QbV1ReIssueRequest (GASService v1
   * WSDL) has no ValidityPeriod: `input.notAfter` cannot be sent, and GlobalSign bounds a reissued
   * certificate by the target order's term and the day's maximum validity.
   */
  async reissue(input: ReissueInput): Promise<ReissuedOrder> {
    const target = input.caOrderId;
    const r = await asProvider(
      () =>
        this.client.reissue({
          targetOrderId: target,
          csr: input.csr,
          ...(input.sans ? { dnsNames: input.sans } : {}),
          hashAlgorithm: 'SHA256',
        }),
      target,
    );
    return { caOrderId: r.orderId, targetCaOrderId: r.targetOrderId ?? target };
  }

  async cancel(input: CancelInput): Promise<CancelledOrder> {
    try {
      await asProvider(
        () => this.client.modifyOrder({ orderId: input.caOrderId, operation: 'CANCEL' }),
        input.caOrderId,
      );
      return { caOrderId: input.caOrderId, alreadyDone: false };
    } catch (e) {
      if (!(e instanceof ProviderError && e.hasCaCode('-9915'))) throw e;
      return { caOrderId: input.caOrderId, alreadyDone: true };
    }
  }

  async revoke(input: RevokeInput): Promise<RevokedOrder> {
    try {
      await asProvider(
        () => this.client.modifyOrder({ orderId: input.caOrderId, operation: 'REVOKE' }),
        input.caOrderId,
      );
      return { caOrderId: input.caOrderId, alreadyDone: false };
    } catch (e) {
      // −9938 "already modified" is only a success if the order is in fact revoked (or on its way).
      if (!(e instanceof ProviderError && e.hasCaCode('-9938'))) throw e;
      const outcome = await this.fetchOrder({ caOrderId: input.caOrderId });
      if (outcome.status === 'rejected' && outcome.reason === 'revoked') {
        return { caOrderId: input.caOrderId, alreadyDone: true };
      }
      throw e;
    }
  }

  close(): void {
    this.client.close();
  }

  private async verify(
    caOrderId: string,
    method: 'http' | 'dns',
    call: () => Promise<Parameters<typeof outcomeOfIssue>[1]>,
  ): Promise<OrderOutcome> {
    let issue: Parameters<typeof outcomeOfIssue>[1];
    try {
      issue = await asProvider(call, caOrderId);
    } catch (e) {
      // −4147: GlobalSign did not find the file or record yet; the order stays pending, which is a state.
      if (!(e instanceof ProviderError && e.hasCaCode('-4147'))) throw e;
      const outcome = await this.fetchOrder({ caOrderId });
      if (outcome.status !== 'pending') return outcome;
      return { ...outcome, lastCheckFailed: { message: e.message, caCode: '-4147' } };
    }
    if (!issue.fulfillment?.serverCertificate) return this.fetchOrder({ caOrderId });
    return outcomeOfIssue(caOrderId, issue, method, this.clock.now());
  }

  private placed(
    caOrderId: string,
    meta: ResultMeta,
    pending: Pick<PendingOutcome, 'reason' | 'validation'>,
  ): PlacedOrder {
    const held = meta.warnings.some((w) => w.code === '-5001');
    const outcome: PendingOutcome = {
      status: 'pending',
      caOrderId,
      reason: held ? 'phishing-review' : pending.reason,
      ...(pending.validation ? { validation: pending.validation } : {}),
      caStatus: held ? '2' : '1',
    };
    return {
      caOrderId,
      alreadyPlaced: false,
      outcome,
      warnings: meta.warnings.map((w) => `${w.code}${w.message ? `: ${w.message}` : ''}`),
    };
  }

  private balanceOf(snapshot: AccountSnapshotResult): ModuleBalance {
    if (!snapshot.currency) {
      throw new AppError(
        'PROVISIONING_CA_BAD_ANSWER',
        `GlobalSign's AccountSnapshot has a balance (${snapshot.balance}) but no currency.`,
      );
    }
    const currency = assertCurrency(snapshot.currency);
    return {
      amountMinor: balanceToMinor(snapshot.balance, currency),
      currency,
      readAt: snapshot.readAt.toISOString(),
    };
  }
}

function hostOf(url: string): string {
  const trimmed = url.trim();
  try {
    return new URL(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).hostname;
  } catch {
    return trimmed;
  }
}

/**
 * The GlobalSign module kind: production at `system.globalsign.com`, Demo at GlobalSign's test
 * system (the composition root may point Demo at the built-in simulator instead).
 */
export const GLOBALSIGN_MODULE_KIND: ModuleKind = {
  kind: GLOBALSIGN_KIND,
  title: 'GlobalSign',
  productType: 'ssl',
  logName: 'pmglobalsign',
  endpoints: { production: GLOBALSIGN_ENDPOINTS.production, demo: GLOBALSIGN_ENDPOINTS.test },
  create: (settings, deps) => new GlobalSignModule(settings, deps),
};

/**
 * Adds GlobalSign to a registry; the composition root calls it once.
 *
 * @example const registry = createModuleRegistry(); registerGlobalSign(registry);
 */
export function registerGlobalSign(registry: ModuleRegistry): void {
  registry.register(GLOBALSIGN_MODULE_KIND);
}
