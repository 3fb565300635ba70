import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { GLOBALSIGN_ENDPOINTS, GlobalSignClient, type SoapPoster } from './globalsign-client.ts';
import { GlobalSignError } from './globalsign-error.ts';
import { capturingLogger, CSR, dvOrderInput, fixture } from './test-builders.ts';

const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

function scripted(answers: { status: number; body: string }[]): SoapPoster & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    post: async (url) => {
      urls.push(url.href);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      return next;
    },
  };
}

describe('GlobalSignClient options', () => {
  it('knows GlobalSign’s production and test base URLs', () => {
    expect(GLOBALSIGN_ENDPOINTS).toEqual({
      production: 'https://system.globalsign.com/kb/ws/v1/',
      test: 'https://test-gcc.globalsign.com/kb/ws/v1/',
    });
  });

  it('accepts a base URL without the trailing slash (e.g. the simulator)', async () => {
    const t = scripted([{ status: 200, body: fixture('account-snapshot.xml') }]);
    const c = new GlobalSignClient({
      baseUrl: 'http://127.0.0.1:8080/kb/ws/v1',
      username: 'u',
      password: 'p',
      transport: t,
    });
    await c.accountSnapshot();
    expect(t.urls).toEqual(['http://127.0.0.1:8080/kb/ws/v1/AccountService']);
  });

  it.each([
    [{ baseUrl: 'ftp://x/' }, 'baseUrl'],
    [{ baseUrl: 'not a url' }, 'baseUrl'],
    [{ username: '' }, 'username'],
    [{ password: '' }, 'password'],
    [{ sourceAddress: 'eth0' }, 'sourceAddress'],
    [{ timeouts: { readMs: 0 } }, 'timeouts.readMs'],
    [{ retry: { attempts: 0 } }, 'retry.attempts'],
  ])('refuses %o with a config error naming %s', (bad, field) => {
    const make = (): GlobalSignClient =>
      new GlobalSignClient({ baseUrl: GLOBALSIGN_ENDPOINTS.test, username: 'u', password: 'p', ...bad });
    expect(make).toThrow(AppError);
    try {
      make();
    } catch (e) {
      expect((e as AppError).code).toBe('CONFIG_INVALID');
      expect((e as AppError).details).toEqual({ field });
    }
  });
});

describe('GlobalSignClient logging', () => {
  it('writes one request line per call and the redacted exchange at debug level', async () => {
    const log = capturingLogger('debug');
    const body = fixture('get-order-issued.xml').replace(
      /<PKCS12Cert [^>]*\/>/,
      '<PKCS12Cert>MIIKSECRETPKCS12DATA==</PKCS12Cert>',
    );
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'PAR12345_api',
      password: 'Sup3r<Secret>&',
      logger: log,
      transport: scripted([
        { status: 200, body: fixture('dv-order-success.xml') },
        { status: 200, body },
      ]),
    });
    await c.dvOrder({
      ...dvOrderInput(),
      order: { ...dvOrderInput().order, specialInstructions: PRIVATE_KEY },
    });
    await c.getOrderByOrderId('CEAP1609307388', { pkcs12: true });

    const requestLines = log.lines.filter((l) => l.level === 'request');
    expect(requestLines.map((l) => l.message.replace(/ \d+ms /, ' Nms '))).toEqual([
      'DVOrder order=CEAP1708100123 Nms success=0',
      'GetOrderByOrderID order=CEAP1609307388 Nms success=0',
    ]);
    expect(requestLines.every((l) => l.facility === 'soap')).toBe(true);

    const debug = log.lines.filter((l) => l.level === 'debug').map((l) => l.message);
    expect(debug).toHaveLength(4);
    expect(debug[0]).toContain(
      'DVOrder request POST https://test-gcc.globalsign.com/kb/ws/v1/ServerSSLService',
    );
    expect(debug[0]).toContain('<Password>***</Password>');
    expect(debug[0]).toContain('<UserName>PAR12345_api</UserName>');
    expect(debug[0]).toContain(CSR.split('\n')[1]);
    expect(debug[3]).toContain('<PKCS12Cert>***</PKCS12Cert>');
    const all = log.lines.map((l) => l.message).join('\n');
    expect(all).not.toContain('Sup3r');
    expect(all).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
    expect(all).not.toContain('MIIKSECRETPKCS12DATA');
  });

  it('logs the error codes of a refused call and the retries of a query', async () => {
    const log = capturingLogger('request');
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'u',
      password: 'p',
      logger: log,
      retry: { attempts: 2, baseDelayMs: 10, sleep: async () => undefined },
      transport: scripted([
        { status: 200, body: fixture('dv-order-reused-id.xml') },
        { status: 200, body: fixture('get-order-internal-error.xml') },
        { status: 200, body: fixture('get-order-internal-error.xml') },
      ]),
    });
    await expect(c.dvOrder(dvOrderInput())).rejects.toBeInstanceOf(GlobalSignError);
    await expect(c.getOrderByOrderId('CEAP1')).rejects.toMatchObject({ code: 'GLOBALSIGN_CA_FAILURE' });
    const lines = log.lines.map((l) => `${l.level} ${l.message.replace(/ \d+ms success/, ' Nms success')}`);
    expect(lines).toEqual([
      'request DVOrder order=CEAP1708100123 Nms success=-1 errors=-4004 failed=GLOBALSIGN_ORDER_STATE',
      'request GetOrderByOrderID order=CEAP1 Nms success=-1 errors=-1 failed=GLOBALSIGN_CA_FAILURE',
      'warning GetOrderByOrderID retry 2/2 in 10ms after GLOBALSIGN_CA_FAILURE',
      'request GetOrderByOrderID order=CEAP1 Nms success=-1 errors=-1 failed=GLOBALSIGN_CA_FAILURE',
    ]);
  });

  it('writes nothing at debug level when the logger is set lower', async () => {
    const log = capturingLogger('request');
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'u',
      password: 'p',
      logger: log,
      transport: scripted([{ status: 200, body: fixture('account-snapshot.xml') }]),
    });
    await c.accountSnapshot();
    expect(log.lines.map((l) => l.level)).toEqual(['request']);
  });
});

describe('GlobalSignClient retries', () => {
  it('retries a retryable CA failure of a query with growing, capped delays', async () => {
    const sleeps: number[] = [];
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'u',
      password: 'p',
      retry: { attempts: 5, baseDelayMs: 300, maxDelayMs: 1_000, sleep: async (ms) => void sleeps.push(ms) },
      transport: scripted([
        { status: 200, body: fixture('get-order-internal-error.xml') },
        { status: 503, body: '' },
        { status: 502, body: '' },
        { status: 500, body: fixture('soap-fault.xml').replace('soap:Client', 'soap:Server') },
        { status: 200, body: fixture('get-order-issued.xml') },
      ]),
    });
    const r = await c.getOrderByOrderId('CEAP1609307388');
    expect(r.detail.info.status).toBe('issued');
    expect(sleeps).toEqual([300, 600, 1_000, 1_000]);
  });

  it('does not retry what retrying cannot fix (credentials)', async () => {
    const t = scripted([{ status: 200, body: fixture('login-failed.xml') }]);
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'u',
      password: 'p',
      transport: t,
    });
    await expect(c.getDvApproverList({ fqdn: 'www.example.com' })).rejects.toMatchObject({
      code: 'GLOBALSIGN_LOGIN_FAILED',
      info: { attempts: 1 },
    });
    expect(t.urls).toHaveLength(1);
  });

  it('never retries an order call; a CA-side failure there leaves the outcome unknown', async () => {
    const t = scripted([
      {
        status: 200,
        body: fixture('get-order-internal-error.xml').replaceAll('GetOrderByOrderID', 'DVOrder'),
      },
    ]);
    const c = new GlobalSignClient({
      baseUrl: GLOBALSIGN_ENDPOINTS.test,
      username: 'u',
      password: 'p',
      transport: t,
    });
    await expect(c.dvOrder(dvOrderInput())).rejects.toMatchObject({
      code: 'GLOBALSIGN_CA_FAILURE',
      retryable: true,
      outcomeUnknown: true,
    });
    expect(t.urls).toHaveLength(1);
  });

  it('a 502 on an order call may have been processed; a 503 was not', async () => {
    const c = (status: number): GlobalSignClient =>
      new GlobalSignClient({
        baseUrl: GLOBALSIGN_ENDPOINTS.test,
        username: 'u',
        password: 'p',
        transport: scripted([{ status, body: '' }]),
      });
    await expect(c(502).modifyOrder({ orderId: 'CE1', operation: 'REVOKE' })).rejects.toMatchObject({
      outcomeUnknown: true,
    });
    await expect(c(503).modifyOrder({ orderId: 'CE1', operation: 'REVOKE' })).rejects.toMatchObject({
      outcomeUnknown: false,
    });
  });
});
