import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SystemClock, type Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors/index.ts';
import { nullLogger, type ModuleLogger } from '../../core/logs/module-logger.ts';
import { readAccountBalance } from './account-balance.ts';
import { interpretAnswer, invalidInput, transportError } from './answer-interpreter.ts';
import { GlobalSignError } from './globalsign-error.ts';
import { OPERATIONS, type OperationSpec } from './operation-table.ts';
import { redactSoap } from './redact.ts';
import { REQUEST_BUILDERS } from './request-builders.ts';
import { RESPONSE_READERS } from './response-readers.ts';
import { buildEnvelope, RequestInputError, type XmlChild } from './soap-envelope.ts';
import type { XmlNode } from './soap-reader.ts';
import {
  DEFAULT_TIMEOUTS,
  SoapTransport,
  TransportFailure,
  type HttpAnswer,
  type TransportTimeouts,
} from './transport.ts';
import type {
  AccountSnapshotResult,
  CertificateOrdersResult,
  ChangeSubjectAltNameInput,
  ChangeSubjectAltNameResult,
  CsrProductType,
  DecodeCsrResult,
  DvApproverListResult,
  DvDnsOrderResult,
  DvOrderInput,
  DvValidationOrderInput,
  EvOrderInput,
  GetCertificateOrdersInput,
  GetOrderResult,
  IssueResult,
  ModifiedOrdersResult,
  ModifyOrderOperation,
  OrderIdResult,
  OrderQueryOptions,
  OvOrderInput,
  ReissueInput,
  ReissueResult,
  ResultMeta,
  SanEntryInput,
  UrlVerificationResult,
  ValidateOrderParametersInput,
  ValidateOrderParametersResult,
} from './types.ts';

/** GlobalSign's GCC v1 base URLs; a service URL is the base followed by the service name. */
export const GLOBALSIGN_ENDPOINTS = {
  production: 'https://system.globalsign.com/kb/ws/v1/',
  test: 'https://test-gcc.globalsign.com/kb/ws/v1/',
} as const;

export interface RetryPolicy {
  /** Calls in total for a query, the first included. Orders are always called once. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sends one SOAP body and returns the HTTP answer; the default is a node:http(s) transport. */
export interface SoapPoster {
  post(url: URL, body: string): Promise<HttpAnswer>;
  close?(): void;
}

export interface GlobalSignClientOptions {
  /** `GLOBALSIGN_ENDPOINTS.production`, `.test`, or e.g. `http://127.0.0.1:8443/kb/ws/v1/` (the simulator). */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  /** Local IP the requests leave from (the address GlobalSign allow-lists). */
  readonly sourceAddress?: string;
  readonly timeouts?: Partial<TransportTimeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly logger?: ModuleLogger;
  readonly clock?: Clock;
  /** Replaces the HTTP transport (benchmarks, tests). */
  readonly transport?: SoapPoster;
  /** Name resolution override for the default transport (tests). */
  readonly lookup?: LookupFunction;
}

type Children = readonly (XmlChild | undefined)[];

const FACILITY = 'soap';

/**
 * GlobalSign GCC SOAP client: one method per operation, typed in and out. Business failures
 * (SuccessCode −1), SOAP faults and transport failures throw GlobalSignError; SuccessCode 1 returns
 * the result with `warnings`. Queries retry retryable failures with exponential backoff; calls that
 * place or change orders never retry and flag `outcomeUnknown` when the request may have arrived.
 *
 * @example
 *   const gs = new GlobalSignClient({ baseUrl: GLOBALSIGN_ENDPOINTS.test, username: 'PAR12345_api', password });
 *   const { approvers, orderId } = await gs.getDvApproverList({ fqdn: 'www.example.com' });
 *   await gs.dvOrder({ order, orderId, approverEmail: approvers[0]!.email, contact });
 *   const { detail } = await gs.getOrderByOrderId(orderId); // detail.info.status === 'issued'
 */
export class GlobalSignClient {
  private readonly baseUrl: URL;
  private readonly credentials: { username: string; password: string };
  private readonly retry: RetryPolicy;
  private readonly logger: ModuleLogger;
  private readonly clock: Clock;
  private readonly transport: SoapPoster;
  private readonly serviceUrls = new Map<OperationSpec['service'], URL>();

  constructor(options: GlobalSignClientOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    if (!options.username) throw configError('username', 'is empty');
    if (!options.password) throw configError('password', 'is empty');
    if (options.sourceAddress !== undefined && isIP(options.sourceAddress) === 0) {
      throw configError('sourceAddress', `must be an IPv4 or IPv6 address, got "${options.sourceAddress}"`);
    }
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    for (const [k, v] of Object.entries(timeouts)) {
      if (!(Number.isFinite(v) && v > 0))
        throw configError(`timeouts.${k}`, 'must be a positive number of milliseconds');
    }
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!(Number.isInteger(this.retry.attempts) && this.retry.attempts >= 1)) {
      throw configError('retry.attempts', 'must be a whole number ≥ 1');
    }
    this.credentials = { username: options.username, password: options.password };
    this.logger = options.logger ?? nullLogger;
    this.clock = options.clock ?? new SystemClock();
    this.transport =
      options.transport ??
      new SoapTransport({
        timeouts,
        ...(options.sourceAddress ? { sourceAddress: options.sourceAddress } : {}),
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
  }

  /** Account balance (AccountService). Also the connection check: −4001 and −4201 surface here first. */
  async accountSnapshot(): Promise<AccountSnapshotResult> {
    return this.call(OPERATIONS.AccountSnapshot, REQUEST_BUILDERS.accountSnapshot, (r) => {
      const b = readAccountBalance(r);
      return {
        balance: b.balance,
        ...(b.currency ? { currency: b.currency } : {}),
        balanceElement: b.element,
        readAt: this.clock.now(),
      };
    });
  }

  async decodeCsr(input: { csr: string; productType: CsrProductType }): Promise<DecodeCsrResult> {
    return this.call(
      OPERATIONS.DecodeCSR,
      () => REQUEST_BUILDERS.decodeCsr(input.csr, input.productType),
      RESPONSE_READERS.decodeCsr,
    );
  }

  async validateOrderParameters(input: ValidateOrderParametersInput): Promise<ValidateOrderParametersResult> {
    return this.call(
      OPERATIONS.ValidateOrderParameters,
      () => REQUEST_BUILDERS.validateOrderParameters(input),
      RESPONSE_READERS.validateOrderParameters,
    );
  }

  /** Approver addresses for DV e-mail validation, and the OrderID DVOrder must use. */
  async getDvApproverList(input: {
    fqdn: string;
    orderId?: string;
    sanEntries?: readonly SanEntryInput[];
  }): Promise<DvApproverListResult> {
    return this.call(
      OPERATIONS.GetDVApproverList,
      () => REQUEST_BUILDERS.getDvApproverList(input.fqdn, input.orderId, input.sanEntries),
      RESPONSE_READERS.getDvApproverList,
      input.orderId,
    );
  }

  async dvOrder(input: DvOrderInput): Promise<OrderIdResult> {
    return this.call(
      OPERATIONS.DVOrder,
      () => REQUEST_BUILDERS.dvOrder(input),
      orderIdOr(input.orderId),
      input.orderId,
    );
  }

  async urlVerification(input: DvValidationOrderInput): Promise<UrlVerificationResult> {
    return this.call(
      OPERATIONS.URLVerification,
      () => REQUEST_BUILDERS.dvValidationOrder(input),
      RESPONSE_READERS.urlVerification,
    );
  }

  /** Asks GlobalSign to check the HTTP token now; issues synchronously on success. */
  async urlVerificationForIssue(input: { orderId: string; approverUrl: string }): Promise<IssueResult> {
    return this.call(
      OPERATIONS.URLVerificationForIssue,
      () => REQUEST_BUILDERS.urlVerificationForIssue(input.orderId, input.approverUrl),
      RESPONSE_READERS.issue,
      input.orderId,
    );
  }

  async dvDnsOrder(input: DvValidationOrderInput): Promise<DvDnsOrderResult> {
    return this.call(
      OPERATIONS.DVDNSOrder,
      () => REQUEST_BUILDERS.dvValidationOrder(input),
      RESPONSE_READERS.dvDnsOrder,
    );
  }

  /** Asks GlobalSign to check the DNS TXT record now; issues synchronously on success. */
  async dvDnsVerificationForIssue(input: { orderId: string; approverFqdn: string }): Promise<IssueResult> {
    return this.call(
      OPERATIONS.DVDNSVerificationForIssue,
      () => REQUEST_BUILDERS.dvDnsVerificationForIssue(input.orderId, input.approverFqdn),
      RESPONSE_READERS.issue,
      input.orderId,
    );
  }

  async ovOrder(input: OvOrderInput): Promise<OrderIdResult> {
    return this.call(OPERATIONS.OVOrder, () => REQUEST_BUILDERS.ovOrder(input), RESPONSE_READERS.orderId);
  }

  async evOrder(input: EvOrderInput): Promise<OrderIdResult> {
    return this.call(OPERATIONS.EVOrder, () => REQUEST_BUILDERS.evOrder(input), RESPONSE_READERS.orderId);
  }

  /** Re-sends the approver e-mail of a DV e-mail order (`type` defaults to `APPROVEREMAIL`). */
  async resendEmail(input: { orderId: string; type?: string }): Promise<OrderIdResult> {
    return this.call(
      OPERATIONS.ResendEmail,
      () => REQUEST_BUILDERS.resendEmail(input.orderId, input.type ?? 'APPROVEREMAIL'),
      orderIdOr(input.orderId),
      input.orderId,
    );
  }

  async changeApproverEmail(input: {
    orderId: string;
    approverEmail: string;
    fqdn: string;
  }): Promise<OrderIdResult> {
    return this.call(
      OPERATIONS.ChangeApproverEmail,
      () => REQUEST_BUILDERS.changeApproverEmail(input.orderId, input.approverEmail, input.fqdn),
      orderIdOr(input.orderId),
      input.orderId,
    );
  }

  /** APPROVE, CANCEL or REVOKE an order. */
  async modifyOrder(input: { orderId: string; operation: ModifyOrderOperation }): Promise<OrderIdResult> {
    return this.call(
      OPERATIONS.ModifyOrder,
      () => REQUEST_BUILDERS.modifyOrder(input.orderId, input.operation),
      orderIdOr(input.orderId),
      input.orderId,
    );
  }

  /** New CSR for an issued order; the result's `orderId` is the new reissue order to poll. */
  async reissue(input: ReissueInput): Promise<ReissueResult> {
    return this.call(
      OPERATIONS.ReIssue,
      () => REQUEST_BUILDERS.reissue(input),
      RESPONSE_READERS.reissue,
      input.targetOrderId,
    );
  }

  async changeSubjectAltName(input: ChangeSubjectAltNameInput): Promise<ChangeSubjectAltNameResult> {
    return this.call(
      OPERATIONS.ChangeSubjectAltName,
      () => REQUEST_BUILDERS.changeSubjectAltName(input),
      RESPONSE_READERS.changeSubjectAltName,
      input.targetOrderId,
    );
  }

  /** One order with the parts `options` asks for (default: order option, certificate info, fulfillment, CA certs, SANs). */
  async getOrderByOrderId(orderId: string, options?: OrderQueryOptions): Promise<GetOrderResult> {
    return this.call(
      OPERATIONS.GetOrderByOrderID,
      () => REQUEST_BUILDERS.getOrderByOrderId(orderId, options),
      RESPONSE_READERS.getOrderByOrderId,
      orderId,
    );
  }

  /** Orders modified between `from` and `to`. */
  async getModifiedOrders(input: {
    from: Date;
    to: Date;
    options?: OrderQueryOptions;
  }): Promise<ModifiedOrdersResult> {
    return this.call(
      OPERATIONS.GetModifiedOrders,
      () => REQUEST_BUILDERS.getModifiedOrders(input.from, input.to, input.options),
      RESPONSE_READERS.getModifiedOrders,
    );
  }

  /** Search by date window, FQDN, product, status or SubID. */
  async getCertificateOrders(input: GetCertificateOrdersInput = {}): Promise<CertificateOrdersResult> {
    return this.call(
      OPERATIONS.GetCertificateOrders,
      () => REQUEST_BUILDERS.getCertificateOrders(input),
      RESPONSE_READERS.getCertificateOrders,
    );
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.transport.close?.();
  }

  private async call<R extends object>(
    op: OperationSpec,
    children: () => Children,
    read: (response: XmlNode) => R,
    orderId?: string,
  ): Promise<R & ResultMeta> {
    let envelope: string;
    try {
      envelope = buildEnvelope(op, this.credentials, children());
    } catch (e) {
      if (e instanceof RequestInputError) throw invalidInput(op, e);
      throw e;
    }
    const url = this.serviceUrl(op);
    const attempts = op.kind === 'query' ? this.retry.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        if (this.logger.enabled('debug', FACILITY)) {
          this.logger.write(
            'debug',
            FACILITY,
            `${op.name} request POST ${url.href}\n${redactSoap(envelope)}`,
          );
        }
        let answer: HttpAnswer;
        try {
          answer = await this.transport.post(url, envelope);
        } catch (e) {
          throw transportError(
            op,
            e instanceof TransportFailure ? e : new TransportFailure('network', String(e), true, 'read'),
          );
        }
        if (this.logger.enabled('debug', FACILITY)) {
          this.logger.write(
            'debug',
            FACILITY,
            `${op.name} response HTTP ${answer.status}\n${redactSoap(answer.body)}`,
          );
        }
        const result = interpretAnswer(op, answer, read);
        this.logLine(
          op,
          orderId ?? (result as { orderId?: string }).orderId,
          started,
          String(result.successCode),
          result.warnings.map((w) => w.code),
        );
        return result;
      } catch (e) {
        if (!(e instanceof GlobalSignError)) throw e;
        const error = e.with({ attempts: attempt, ...(orderId ? { orderId } : {}) });
        const codes = error.issues.map((i) => i.code);
        const success = error.info.successCode === undefined ? '-' : String(error.info.successCode);
        this.logLine(op, orderId, started, success, codes, error.causeKind ?? error.code);
        if (!error.retryable || attempt >= attempts) throw error;
        const delay = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
        this.logger.write(
          'warning',
          FACILITY,
          `${op.name} retry ${attempt + 1}/${attempts} in ${delay}ms after ${error.code}`,
        );
        await this.retry.sleep(delay);
      }
    }
  }

  /** The service URL, made once per service; the transport only reads it. */
  private serviceUrl(op: OperationSpec): URL {
    let url = this.serviceUrls.get(op.service);
    if (!url) {
      url = new URL(op.service, this.baseUrl);
      this.serviceUrls.set(op.service, url);
    }
    return url;
  }

  private logLine(
    op: OperationSpec,
    orderId: string | undefined,
    started: number,
    success: string,
    codes: string[],
    failure?: string,
  ): void {
    if (!this.logger.enabled('request', FACILITY)) return;
    const ms = Math.round(performance.now() - started);
    const parts = [op.name, `order=${orderId ?? '-'}`, `${ms}ms`, `success=${success}`];
    if (codes.length) parts.push(`errors=${codes.join(',')}`);
    if (failure) parts.push(`failed=${failure}`);
    this.logger.write('request', FACILITY, parts.join(' '));
  }
}

function orderIdOr(fallback: string): (r: XmlNode) => { orderId: string } {
  return (r) => {
    try {
      return RESPONSE_READERS.orderId(r);
    } catch {
      return { orderId: fallback };
    }
  };
}

function configError(field: string, problem: string): AppError {
  return new AppError('CONFIG_INVALID', `GlobalSign client option ${field} ${problem}.`, { field });
}

function checkBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError('baseUrl', `is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw configError('baseUrl', 'must use http or https');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
