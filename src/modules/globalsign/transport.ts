import http from 'node:http';
import https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import type { TransportCause } from './globalsign-error.ts';

export interface TransportTimeouts {
  /** TCP connect plus TLS handshake, in milliseconds. */
  readonly connectMs: number;
  /** From the request being written to the last byte of the answer, in milliseconds. */
  readonly readMs: number;
}

export const DEFAULT_TIMEOUTS: TransportTimeouts = { connectMs: 10_000, readMs: 60_000 };

export interface TransportOptions {
  readonly timeouts: TransportTimeouts;
  /** Local IP the outgoing connections are bound to (the address GlobalSign allow-lists). */
  readonly sourceAddress?: string;
  /** Name resolution override (tests). */
  readonly lookup?: LookupFunction;
  readonly maxResponseBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * The call got no HTTP answer. `sent` is true when the connection was up and the request written,
 * so GlobalSign may have acted on it.
 */
export class TransportFailure extends Error {
  constructor(
    readonly causeKind: TransportCause,
    message: string,
    readonly sent: boolean,
    readonly phase: 'connect' | 'read',
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'TransportFailure';
  }
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
]);

/**
 * Names a socket-level error in the words an admin sees ("timeout", "DNS", "TLS", "connection refused").
 *
 * @example
 *   classifyNetworkError(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }), 'x', false).causeKind; // 'dns'
 */
export function classifyNetworkError(
  err: unknown,
  host: string,
  connected: boolean,
  source?: string,
): TransportFailure {
  if (err instanceof TransportFailure) return err;
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${e?.message ?? String(err)}`;
  const fail = (cause: TransportCause, message: string, sent: boolean): TransportFailure =>
    new TransportFailure(cause, `${message} (${detail})`, sent, connected ? 'read' : 'connect', {
      cause: err,
    });
  if (DNS_CODES.has(code)) return fail('dns', `DNS lookup of ${host} failed`, false);
  if (code === 'ECONNREFUSED') return fail('connection-refused', `${host} refused the connection`, false);
  if (code === 'EADDRNOTAVAIL' || (code === 'EINVAL' && source !== undefined && !connected)) {
    return fail('source-address', `source address ${source ?? '?'} is not available on this server`, false);
  }
  if (code === 'ETIMEDOUT') return fail('timeout', `connection to ${host} timed out`, connected);
  // Checked before the TLS wording: "socket disconnected before secure TLS connection" is a reset.
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return fail('connection-reset', `connection to ${host} was reset`, connected);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return fail('network', `${host} is unreachable`, false);
  if (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    TLS_CODES.has(code) ||
    /\bssl\b|tls/i.test(e?.message ?? '')
  ) {
    return fail('tls', `TLS handshake with ${host} failed`, connected);
  }
  if (/socket hang up|aborted/i.test(e?.message ?? ''))
    return fail('connection-reset', `connection to ${host} was reset`, connected);
  return fail('network', `network error talking to ${host}`, connected);
}

/**
 * POSTs SOAP bodies over node:http/https with a connect and a read deadline, bound to the source
 * address when one is set. Resolves with any HTTP answer; rejects only with TransportFailure.
 *
 * @example
 *   const t = new SoapTransport({ timeouts: DEFAULT_TIMEOUTS, sourceAddress: '203.0.113.5' });
 *   const { status, body } = await t.post(new URL('https://test-gcc.globalsign.com/kb/ws/v1/GASService'), xml);
 */
export class SoapTransport {
  private readonly agents: { http?: http.Agent; https?: https.Agent } = {};
  private readonly connectedSockets = new WeakSet<Socket>();

  constructor(private readonly options: TransportOptions) {}

  post(url: URL, body: string): Promise<HttpAnswer> {
    const secure = url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    const { connectMs, readMs } = this.options.timeouts;
    const source = this.options.sourceAddress;
    const max = this.options.maxResponseBytes ?? 16 * 1024 * 1024;
    const host = url.hostname;

    return new Promise<HttpAnswer>((resolve, reject) => {
      let connected = false;
      let settled = false;
      let readTimer: NodeJS.Timeout | undefined;
      const finish = (err: TransportFailure | undefined, answer?: HttpAnswer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(readTimer);
        if (err) reject(err);
        else resolve(answer!);
      };
      const fail = (err: unknown): void => finish(classifyNetworkError(err, host, connected, source));

      const requestOptions: https.RequestOptions = {
        method: 'POST',
        protocol: url.protocol,
        hostname: host,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        agent: this.agent(secure),
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': payload.length,
          SOAPAction: '""',
          Accept: 'text/xml',
        },
      };
      if (source) requestOptions.localAddress = source;
      if (this.options.lookup) requestOptions.lookup = this.options.lookup;
      const req = (secure ? https : http).request(requestOptions);

      const connectTimer = setTimeout(() => {
        req.destroy(
          new TransportFailure(
            'timeout',
            `no connection to ${host} within ${connectMs} ms`,
            false,
            'connect',
          ),
        );
      }, connectMs);
      const onConnected = (): void => {
        connected = true;
        clearTimeout(connectTimer);
        readTimer = setTimeout(() => {
          req.destroy(
            new TransportFailure(
              'timeout',
              `no complete answer from ${host} within ${readMs} ms`,
              true,
              'read',
            ),
          );
        }, readMs);
      };

      req.on('socket', (socket: Socket) => {
        // A kept-alive socket is already connected and will not emit (secure)connect again.
        if (this.connectedSockets.has(socket)) onConnected();
        else
          socket.once(secure ? 'secureConnect' : 'connect', () => {
            this.connectedSockets.add(socket);
            onConnected();
          });
      });
      req.on('error', fail);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > max) {
            req.destroy(
              new TransportFailure('bad-response', `answer from ${host} exceeds ${max} bytes`, true, 'read'),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('aborted', () => fail(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
        res.on('error', fail);
        res.on('end', () => {
          if (!res.complete) {
            fail(Object.assign(new Error('answer cut off before its end'), { code: 'ECONNRESET' }));
            return;
          }
          finish(undefined, { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      req.end(payload);
    });
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
  }

  private agent(secure: boolean): http.Agent {
    const common = {
      keepAlive: true,
      maxSockets: 8,
      ...(this.options.sourceAddress ? { localAddress: this.options.sourceAddress } : {}),
    };
    if (secure) return (this.agents.https ??= new https.Agent(common));
    return (this.agents.http ??= new http.Agent(common));
  }
}
