import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GlobalSignClient, type GlobalSignClientOptions } from './globalsign-client.ts';
import { GlobalSignError } from './globalsign-error.ts';
import { classifyNetworkError } from './transport.ts';
import { dvOrderInput, fixture } from './test-builders.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface TestServer {
  baseUrl: string;
  port: number;
  requests: {
    url: string;
    headers: http.IncomingHttpHeaders;
    body: string;
    remoteAddress: string | undefined;
  }[];
  connections: number;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(handler: Handler): Promise<TestServer> {
  const state: TestServer = { baseUrl: '', port: 0, requests: [], connections: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      state.requests.push({
        url: req.url ?? '',
        headers: req.headers,
        body,
        remoteAddress: req.socket.remoteAddress,
      });
      handler(req, res, body);
    });
  });
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.baseUrl = `http://127.0.0.1:${state.port}/kb/ws/v1/`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return state;
}

function client(
  baseUrl: string,
  extra: Partial<GlobalSignClientOptions> = {},
): GlobalSignClient & { sleeps: number[] } {
  const sleeps: number[] = [];
  const c = new GlobalSignClient({
    baseUrl,
    username: 'PAR12345_api',
    password: 'secret',
    timeouts: { connectMs: 2_000, readMs: 2_000 },
    retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => void sleeps.push(ms) },
    ...extra,
  });
  cleanups.push(() => c.close());
  return Object.assign(c, { sleeps });
}

async function failure(p: Promise<unknown>): Promise<GlobalSignError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof GlobalSignError) return e;
    throw e;
  }
  throw new Error('expected a GlobalSignError');
}

const xml = (res: http.ServerResponse, status: number, body: string): void => {
  res.writeHead(status, { 'Content-Type': 'text/xml;charset=UTF-8' });
  res.end(body);
};

describe('the HTTP transport against a local server', () => {
  it('POSTs text/xml to base URL + service name and reads the answer', async () => {
    const s = await startServer((_req, res) => xml(res, 200, fixture('get-order-issued.xml')));
    const c = client(s.baseUrl);
    const r = await c.getOrderByOrderId('CEAP1609307388');
    expect(r.detail.info.status).toBe('issued');
    expect(s.requests[0]!.url).toBe('/kb/ws/v1/GASService');
    expect(s.requests[0]!.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(s.requests[0]!.body).toContain(
      '<v1:GetOrderByOrderID xmlns:v1="https://system.globalsign.com/kb/ws/v1/">',
    );
    await c.getOrderByOrderId('CEAP1609307388');
    expect(s.connections).toBe(1);
  });

  it('HTTP 500 with a soap:Fault is a typed fault carrying faultcode and faultstring', async () => {
    const s = await startServer((_req, res) => xml(res, 500, fixture('soap-fault.xml')));
    const e = await failure(client(s.baseUrl).dvOrder(dvOrderInput()));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_SOAP_FAULT',
      causeKind: 'soap-fault',
      party: 'ca-system',
      retryable: false,
    });
    expect(e.info.fault).toEqual({
      code: 'soap:Client',
      message: expect.stringContaining('Unexpected wrapper element'),
    });
    expect(e.info.httpStatus).toBe(500);
  });

  it('HTTP 503 is a retryable transport error: a query is retried with exponential backoff', async () => {
    const s = await startServer((_req, res) => xml(res, 503, 'Service Unavailable'));
    const c = client(s.baseUrl);
    const e = await failure(c.getOrderByOrderId('CEAP1'));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_HTTP_STATUS',
      causeKind: 'http-status',
      retryable: true,
      party: 'transport',
    });
    expect(e.info).toMatchObject({ httpStatus: 503, attempts: 3 });
    expect(s.requests).toHaveLength(3);
    expect(c.sleeps).toEqual([100, 200]);
  });

  it('a query that fails once and then succeeds returns the result', async () => {
    let n = 0;
    const s = await startServer((req, res) => {
      if (n++ === 0) req.socket.destroy();
      else xml(res, 200, fixture('get-order-pending.xml'));
    });
    const c = client(s.baseUrl);
    const r = await c.getOrderByOrderId('CEAP1609307388');
    expect(r.detail.info.status).toBe('initial');
    expect(s.requests).toHaveLength(2);
    expect(c.sleeps).toEqual([100]);
  });

  it('DVOrder is never retried: a 503 throws after one call, marked retryable and not reached', async () => {
    const s = await startServer((_req, res) => xml(res, 503, ''));
    const c = client(s.baseUrl);
    const e = await failure(c.dvOrder(dvOrderInput()));
    expect(e).toMatchObject({ code: 'GLOBALSIGN_HTTP_STATUS', retryable: true, outcomeUnknown: false });
    expect(s.requests).toHaveLength(1);
    expect(c.sleeps).toEqual([]);
  });

  it('a connection reset after the request was sent leaves a DVOrder’s outcome unknown', async () => {
    const s = await startServer((req) => req.socket.destroy());
    const c = client(s.baseUrl);
    const e = await failure(c.dvOrder(dvOrderInput()));
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_UNREACHABLE',
      causeKind: 'connection-reset',
      retryable: true,
      outcomeUnknown: true,
      party: 'transport',
    });
    expect(e.message).toContain('look the order up');
    expect(s.requests).toHaveLength(1);
  });

  it('a body cut off mid-transfer (Content-Length not reached) is a reset', async () => {
    const s = await startServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': '5000' });
      res.write(fixture('dv-order-success.xml').slice(0, 120));
      setTimeout(() => req.socket.destroy(), 20);
    });
    const e = await failure(client(s.baseUrl).dvOrder(dvOrderInput()));
    expect(e).toMatchObject({ causeKind: 'connection-reset', outcomeUnknown: true });
  });

  it('a truncated or unparsable 200 body is a bad response', async () => {
    const s = await startServer((req, res) => {
      if (req.url?.endsWith('ServerSSLService')) xml(res, 200, fixture('dv-order-success.xml').slice(0, -40));
      else xml(res, 200, '<html><body>Maintenance</body></html>');
    });
    const cut = await failure(client(s.baseUrl).dvOrder(dvOrderInput()));
    expect(cut).toMatchObject({
      code: 'GLOBALSIGN_BAD_RESPONSE',
      causeKind: 'bad-response',
      outcomeUnknown: true,
    });
    const html = await failure(client(s.baseUrl, { retry: { attempts: 1 } }).getOrderByOrderId('CEAP1'));
    expect(html).toMatchObject({ code: 'GLOBALSIGN_BAD_RESPONSE', retryable: true, outcomeUnknown: false });
  });

  it('a slow answer hits the read timeout; for DVOrder the outcome is unknown', async () => {
    const s = await startServer((_req, res) =>
      setTimeout(() => xml(res, 200, fixture('dv-order-success.xml')), 1_500),
    );
    const started = performance.now();
    const e = await failure(client(s.baseUrl, { timeouts: { readMs: 150 } }).dvOrder(dvOrderInput()));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_TIMEOUT',
      causeKind: 'timeout',
      outcomeUnknown: true,
      retryable: true,
    });
    expect(e.info.phase).toBe('read');
  });

  it('a TLS handshake that never completes hits the connect timeout; nothing was sent', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sockets: net.Socket[] = [];
    silent.on('connection', (sock) => sockets.push(sock));
    cleanups.push(() => {
      sockets.forEach((x) => x.destroy());
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as AddressInfo).port;
    const e = await failure(
      client(`https://127.0.0.1:${port}/kb/ws/v1/`, { timeouts: { connectMs: 150 } }).dvOrder(dvOrderInput()),
    );
    expect(e).toMatchObject({ code: 'GLOBALSIGN_TIMEOUT', causeKind: 'timeout', outcomeUnknown: false });
    expect(e.info.phase).toBe('connect');
  });

  it('speaking TLS to a plain HTTP port is a TLS error, not retried', async () => {
    const s = await startServer((_req, res) => xml(res, 200, ''));
    const c = client(`https://127.0.0.1:${s.port}/kb/ws/v1/`);
    const e = await failure(c.accountSnapshot());
    expect(e).toMatchObject({ code: 'GLOBALSIGN_TLS', causeKind: 'tls', retryable: false });
    expect(c.sleeps).toEqual([]);
  });

  it('a closed port is "connection refused"', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const e = await failure(
      client(`http://127.0.0.1:${port}/kb/ws/v1/`, { retry: { attempts: 1 } }).accountSnapshot(),
    );
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_UNREACHABLE',
      causeKind: 'connection-refused',
      outcomeUnknown: false,
    });
  });

  it('a name that does not resolve is a DNS error (resolver stubbed; no query leaves the machine)', async () => {
    const lookup: net.LookupFunction = (hostname, _opts, cb) =>
      process.nextTick(() =>
        cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4),
      );
    const e = await failure(
      client('http://gcc.invalid/kb/ws/v1/', { lookup, retry: { attempts: 1 } }).getOrderByOrderId('CEAP1'),
    );
    expect(e).toMatchObject({ code: 'GLOBALSIGN_UNREACHABLE', causeKind: 'dns', outcomeUnknown: false });
    expect(e.message).toContain('DNS lookup of gcc.invalid failed');
  });

  it('binds outgoing requests to the configured source address', async () => {
    const s = await startServer((_req, res) => xml(res, 200, fixture('account-snapshot.xml')));
    await client(s.baseUrl, { sourceAddress: '127.0.0.1' }).accountSnapshot();
    expect(s.requests[0]!.remoteAddress).toBe('127.0.0.1');
  });

  it('the bound address is really used: 127.0.0.2 (Linux loopback holds all of 127/8) arrives as 127.0.0.2', async () => {
    const s = await startServer((_req, res) => xml(res, 200, fixture('account-snapshot.xml')));
    await client(s.baseUrl, { sourceAddress: '127.0.0.2' }).accountSnapshot();
    expect(s.requests[0]!.remoteAddress).toBe('127.0.0.2');
  });

  it('an address this machine does not have fails clearly before any traffic', async () => {
    const s = await startServer((_req, res) => xml(res, 200, fixture('account-snapshot.xml')));
    const c = client(s.baseUrl, { sourceAddress: '192.0.2.1' });
    const e = await failure(c.accountSnapshot());
    expect(e).toMatchObject({
      code: 'GLOBALSIGN_SOURCE_ADDRESS',
      kind: 'config',
      causeKind: 'source-address',
      retryable: false,
      outcomeUnknown: false,
    });
    expect(e.message).toContain('192.0.2.1');
    expect(s.connections).toBe(0);
    expect(c.sleeps).toEqual([]);
  });
});

describe('classifyNetworkError', () => {
  const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });

  it.each([
    ['ENOTFOUND', false, 'dns'],
    ['EAI_AGAIN', false, 'dns'],
    ['ECONNREFUSED', false, 'connection-refused'],
    ['ECONNRESET', true, 'connection-reset'],
    ['ECONNRESET', false, 'connection-reset'],
    ['EPIPE', true, 'connection-reset'],
    ['CERT_HAS_EXPIRED', false, 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', false, 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', false, 'tls'],
    ['ETIMEDOUT', false, 'timeout'],
    ['EADDRNOTAVAIL', false, 'source-address'],
    ['EHOSTUNREACH', false, 'network'],
  ])('%s (connected: %s) is %s', (code, connected, cause) => {
    const f = classifyNetworkError(err(code), 'gcc.example', connected, '203.0.113.5');
    expect(f.causeKind).toBe(cause);
    expect(f.sent).toBe(connected);
  });
});
