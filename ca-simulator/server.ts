import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { OffsetClock, SystemClock, type Clock } from '../src/core/clock.ts';
import { assertCurrency, parseMoney } from '../src/core/money.ts';
import { CallLog } from './control/call-log.ts';
import { handleControl } from './control/control-api.ts';
import { FaultInjector } from './control/fault-injector.ts';
import type { ServiceName } from './operations/operation.ts';
import { CertificateAuthority, createCaMaterial } from './pki/certificate-authority.ts';
import { faultEnvelope } from './soap/envelope.ts';
import { handleSoapCall, type SoapOutcome } from './soap/handle-soap-call.ts';
import { DEFAULT_PHISHING_KEYWORDS, type SimulatorOptions } from './simulator-options.ts';
import type { SimulatorContext } from './simulator-context.ts';
import { StateStore } from './state/state-store.ts';

export type { SimulatorOptions } from './simulator-options.ts';

/** A running simulator, as `startSimulator` returns it. */
export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:8443/kb/ws/v1/` — append the service name. */
  baseUrl: string;
  /** e.g. `http://127.0.0.1:8443/_control/` (served unless `control: false`). */
  controlUrl: string;
  port: number;
  clock: Clock;
  state: StateStore;
  context: SimulatorContext;
  calls: CallLog;
  faults: FaultInjector;
  /** Stops listening and writes the state file. */
  close(): Promise<void>;
}

const SERVICES: ServiceName[] = ['ServerSSLService', 'GASService', 'AccountService'];
const WSDL_FILES: Record<ServiceName, string> = {
  ServerSSLService: 'ServerSSLService.v1.wsdl',
  GASService: 'GASService.v1.wsdl',
  AccountService: 'AccountService.v1.wsdl',
};
const XML_TYPE = 'text/xml;charset=UTF-8';
const MAX_BODY = 4 * 1024 * 1024;

/**
 * Starts the GlobalSign simulator: SOAP on `/kb/ws/v1/{ServerSSLService,GASService,AccountService}`
 * (`?wsdl` serves the WSDLs), control calls on `/_control/`.
 *
 * @example
 *   const sim = await startSimulator({ port: 0, user: 'u', password: 'p', autoApprove: true });
 *   // POST SOAP to `${sim.baseUrl}ServerSSLService` …
 *   await sim.close();
 */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const store = StateStore.open(options.stateFile);
  const data = store.data;
  if (!data.ca) {
    data.ca = createCaMaterial();
    store.changed();
  }
  upsertAccount(store, options);
  let clock = options.clock;
  if (!clock) {
    const own = new OffsetClock();
    if (data.clockOffsetMs) own.set(new Date(new SystemClock().now().getTime() + data.clockOffsetMs));
    clock = own;
  }
  const wsdlDir = options.wsdlDir ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'wsdl');
  const ctx: SimulatorContext = {
    store,
    ca: new CertificateAuthority(data.ca),
    clock,
    settings: {
      autoApprove: options.autoApprove ?? false,
      validity: options.validity ?? 'cap',
      strict: options.strict ?? false,
      revokeDelayMs: options.revokeDelayMs ?? 60_000,
      phishingKeywords: options.phishingKeywords ?? DEFAULT_PHISHING_KEYWORDS,
      utcOffset: options.utcOffset ?? '+00:00',
      wsdlDir,
    },
  };
  const wsdls = new Map(SERVICES.map((s) => [s, readFileSync(path.join(wsdlDir, WSDL_FILES[s]))]));
  const calls = new CallLog();
  const faults = new FaultInjector();
  const control = options.control ?? true;

  const server = http.createServer((req, res) => {
    void route(req, res).catch((e: unknown) => {
      process.stderr.write(`simulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': XML_TYPE });
      res.end(faultEnvelope('soap:Server', 'Fault occurred while processing.'));
    });
  });
  server.keepAliveTimeout = 30_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    if (pathname.startsWith('/kb/ws/v1/')) {
      const service = pathname.slice('/kb/ws/v1/'.length).replace(/\/$/, '') as ServiceName;
      if (!SERVICES.includes(service)) return notFound(res);
      if (req.method === 'GET' && q >= 0 && /^wsdl$/i.test(url.slice(q + 1).split('&')[0]!)) {
        res.writeHead(200, { 'content-type': XML_TYPE }).end(wsdls.get(service));
        return;
      }
      if (req.method !== 'POST') {
        res
          .writeHead(405, { 'content-type': 'text/plain', allow: 'POST' })
          .end('POST a SOAP request, or GET ?wsdl\n');
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.writeHead(413).end();
        return;
      }
      return soap(req, res, service, body);
    }
    if (control && (pathname === '/_control' || pathname.startsWith('/_control/'))) {
      const body = await readBody(req);
      return handleControl({ ctx, calls, faults }, req, res, body ?? '');
    }
    notFound(res);
  }

  async function soap(
    req: IncomingMessage,
    res: ServerResponse,
    service: ServiceName,
    body: string,
  ): Promise<void> {
    const drawn = faults.draw();
    if (drawn.latencyMs) await new Promise((r) => setTimeout(r, drawn.latencyMs));
    const fault = drawn.fault;
    const after = fault && (fault.kind === 'truncate' || fault.phase === 'after');
    let outcome: SoapOutcome | undefined;
    if (!fault || after) outcome = await handleSoapCall(ctx, service, body, req.socket.remoteAddress);
    calls.add({
      operation: outcome?.operation ?? soapOperationName(body),
      at: clock!.now().toISOString(),
      successCode: outcome?.successCode ?? null,
      ...(outcome?.errorCodes.length ? { errorCodes: outcome.errorCodes } : {}),
      ...(outcome?.orderId ? { orderId: outcome.orderId } : {}),
      ...(outcome?.fqdn ? { fqdn: outcome.fqdn } : {}),
      ...(fault ? { fault: fault.kind } : {}),
    });
    if (!fault) {
      res.writeHead(outcome!.status, { 'content-type': XML_TYPE }).end(outcome!.body);
      return;
    }
    switch (fault.kind) {
      case 'http500':
        res
          .writeHead(500, { 'content-type': 'text/html' })
          .end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      case 'http503':
        res
          .writeHead(503, { 'content-type': 'text/html', 'retry-after': '1' })
          .end('<html><body><h1>503 Service Unavailable</h1></body></html>');
        return;
      case 'soapfault':
        res
          .writeHead(500, { 'content-type': XML_TYPE })
          .end(faultEnvelope('soap:Server', 'Fault occurred while processing.'));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncate': {
        const full = Buffer.from(outcome!.body);
        res.writeHead(outcome!.status, { 'content-type': XML_TYPE, 'content-length': full.length });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => req.socket.destroy());
        return;
      }
      default:
        res.writeHead(outcome!.status, { 'content-type': XML_TYPE }).end(outcome!.body);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8443, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  return {
    baseUrl: `${origin}/kb/ws/v1/`,
    controlUrl: `${origin}/_control/`,
    port: address.port,
    clock,
    state: store,
    context: ctx,
    calls,
    faults,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.flush();
    },
  };
}

function upsertAccount(store: StateStore, o: SimulatorOptions): void {
  const existing = store.data.accounts[o.user];
  if (existing) {
    existing.password = o.password;
    if (o.allowIps) existing.allowIps = o.allowIps;
  } else {
    const currency = assertCurrency(o.currency ?? 'USD');
    store.data.accounts[o.user] = {
      userName: o.user,
      password: o.password,
      currency,
      balanceMinor: parseMoney(o.balance ?? '1000.00', currency).amountMinor,
      allowIps: o.allowIps ?? [],
    };
  }
  store.changed();
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
}

function soapOperationName(body: string): string {
  return /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(body)?.[1] ?? '?';
}
