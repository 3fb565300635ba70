import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { makeCsr } from '../ca-simulator/testing/make-csr.ts';
import { auth, envelope } from '../ca-simulator/testing/soap-client.ts';

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const USER = 'PAR_bench';
const PASSWORD = 'bench';
const CONCURRENCY = 16;
const DURATION_MS = 4000;

interface ChildUrls {
  baseUrl: string;
  echoUrl: string;
}

/**
 * Simulator throughput over loopback, with the server in its own process: (a) GetOrderByOrderID
 * polls/s with a fixed envelope, (b) certificates issued/s through GetDVApproverList → DVOrder
 * (auto-approve) → GetOrderByOrderID with fulfillment, (c) a bare node:http server answering a body
 * of the same size, as the stack's ceiling.
 */
export default async function bench(): Promise<Figure[]> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CERTBILL_SIMULATOR_BENCH_SERVER: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const urls = await new Promise<ChildUrls>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ChildUrls));
      child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const q = auth('QueryRequestHeader', USER, PASSWORD);
    const o = auth('OrderRequestHeader', USER, PASSWORD);
    const ssl = urls.baseUrl + 'ServerSSLService';
    const gas = urls.baseUrl + 'GASService';

    const issueOne = async (csr: string): Promise<string> => {
      const list = await post(
        agent,
        ssl,
        envelope('GetDVApproverList', `${q}<FQDN>www.bench.example</FQDN>`),
      );
      const orderId = /<OrderID>([^<]+)<\/OrderID>/.exec(list)![1]!;
      const order = await post(
        agent,
        ssl,
        envelope(
          'DVOrder',
          `${o}<OrderRequestParameter><ProductCode>DV_LOW</ProductCode><OrderKind>new</OrderKind><Licenses>1</Licenses>` +
            `<ValidityPeriod><Months>12</Months></ValidityPeriod><CSR>${csr}</CSR></OrderRequestParameter>` +
            `<OrderID>${orderId}</OrderID><ApproverEmail>admin@bench.example</ApproverEmail>` +
            `<ContactInfo><FirstName>B</FirstName><LastName>B</LastName><Phone>1</Phone><Email>b@bench.example</Email></ContactInfo>`,
        ),
      );
      if (!order.includes('<SuccessCode>0</SuccessCode>')) throw new Error(`DVOrder failed: ${order}`);
      const got = await post(agent, gas, pollEnvelope(q, orderId));
      if (!got.includes('<X509Cert>')) throw new Error('no certificate in the fulfillment');
      return orderId;
    };

    const warmCsrs = Array.from({ length: 50 }, (_, i) =>
      makeCsr(`www.bench.example`, 'p256', { O: `w${i}` }),
    );
    for (const csr of warmCsrs.slice(0, 10)) await issueOne(csr);
    const orderId = await issueOne(warmCsrs[10]!);
    const poll = pollEnvelope(q, orderId);
    const sample = await post(agent, gas, poll);

    const pool = Array.from({ length: 800 }, () => makeCsr('www.bench.example', 'p256'));
    let next = 0;
    const certStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < pool.length) await issueOne(pool[next++]!);
      }),
    );
    const certsPerSecond = pool.length / ((performance.now() - certStart) / 1000);

    await hammer(agent, gas, poll, 500);
    const polls = await hammer(agent, gas, poll, DURATION_MS);
    const size = Buffer.byteLength(sample);
    await hammer(agent, urls.echoUrl, poll, 500, size);
    const echo = await hammer(agent, urls.echoUrl, poll, DURATION_MS, size);
    agent.destroy();
    return [
      {
        name: 'simulator GetOrderByOrderID',
        value: Math.round(polls),
        unit: 'calls/s',
        note: `fulfillment + certificate info, ${sample.length}-byte answer, concurrency ${CONCURRENCY}; goal ≥ 1000`,
      },
      {
        name: 'simulator certificates issued',
        value: Math.round(certsPerSecond),
        unit: 'certs/s',
        note: `GetDVApproverList + DVOrder (auto-approve) + GetOrderByOrderID, ECDSA P-256 CSRs, concurrency ${CONCURRENCY}; goal ≥ 100`,
      },
      {
        name: 'node:http baseline (same body size)',
        value: Math.round(echo),
        unit: 'calls/s',
        note: `GetOrderByOrderID reaches ${Math.round((polls / echo) * 100)}% of it`,
      },
    ];
  } finally {
    child.kill();
  }
}

function pollEnvelope(q: string, orderId: string): string {
  return envelope(
    'GetOrderByOrderID',
    `${q}<OrderID>${orderId}</OrderID><OrderQueryOption><ReturnCertificateInfo>true</ReturnCertificateInfo>` +
      `<ReturnFulfillment>true</ReturnFulfillment><ReturnCACerts>true</ReturnCACerts></OrderQueryOption>`,
  );
}

function post(agent: http.Agent, url: string, body: string, replyBytes = 0): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'text/xml; charset=utf-8', 'x-reply-bytes': String(replyBytes) };
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function hammer(
  agent: http.Agent,
  url: string,
  body: string,
  ms: number,
  replyBytes = 0,
): Promise<number> {
  let done = 0;
  const start = performance.now();
  const deadline = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await post(agent, url, body, replyBytes);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function serve(): Promise<void> {
  const { startSimulator } = await import('../ca-simulator/server.ts');
  const sim = await startSimulator({
    port: 0,
    user: USER,
    password: PASSWORD,
    balance: '100000000.00',
    autoApprove: true,
  });
  const bodies = new Map<number, Buffer>();
  // The baseline reads the request and answers as many bytes as the caller asks for (x-reply-bytes).
  const echo = http.createServer((req, res) => {
    const size = Number(req.headers['x-reply-bytes'] ?? 0);
    let body = bodies.get(size);
    if (!body) bodies.set(size, (body = Buffer.alloc(size, 'x')));
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' }).end(body));
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  process.send!({
    baseUrl: sim.baseUrl,
    echoUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`,
  });
}

if (process.env['CERTBILL_SIMULATOR_BENCH_SERVER'] === '1') await serve();
