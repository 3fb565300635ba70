import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../ca-simulator/server.ts';
import { TestClock } from '../../src/core/clock.ts';
import { nullLogger } from '../../src/core/logs/module-logger.ts';
import { GlobalSignModule } from '../../src/modules/globalsign/globalsign-module.ts';
import type { ModuleSettings } from '../../src/provisioning/module-registry.ts';
import type { ProcessingModule } from '../../src/provisioning/processing-module.ts';
import { runProcessingModuleContract, type ContractHarness } from './processing-module-contract.ts';

const USER = 'PAR12345_contract';
const PASSWORD = 'contract-secret';

/** A loopback web server answering the validation files the CA's HTTP check asks for, by Host. */
async function startFileServer(): Promise<{
  port: number;
  files: Map<string, string>;
  close(): Promise<void>;
}> {
  const files = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const body = files.get(`${host}${req.url ?? '/'}`);
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    files,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startGlobalSignHarness(): Promise<ContractHarness> {
  const caClock = new TestClock('2026-04-02T10:00:00Z');
  const moduleClock = new TestClock('2026-04-02T10:00:00Z');
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    balance: '100000.00',
    currency: 'USD',
    clock: caClock,
    revokeDelayMs: 60_000,
  });
  const web = await startFileServer();
  const control = async (path: string, body: unknown): Promise<void> => {
    const res = await fetch(sim.controlUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`simulator control ${path}: HTTP ${res.status} ${await res.text()}`);
  };
  const settings: ModuleSettings = {
    baseUrl: sim.baseUrl,
    username: USER,
    password: PASSWORD,
    sourceAddress: '127.0.0.1',
    timeouts: { connectMs: 2_000, readMs: 10_000 },
  };
  const opened: ProcessingModule[] = [];
  const moduleWith = (overrides: Partial<ModuleSettings>): ProcessingModule => {
    const m = new GlobalSignModule({ ...settings, ...overrides }, { clock: moduleClock, logger: nullLogger });
    opened.push(m);
    return m;
  };
  return {
    module: moduleWith({}),
    moduleWith,
    now: () => moduleClock.now(),
    caCodes: {
      loginRefused: '-4001',
      ipNotAllowed: '-4201',
      badCsr: '-4007',
      cnMismatch: '-6021',
      weakKey: '-9936',
      tooManySans: '-6017',
      balanceTooLow: '-6101',
    },
    ca: {
      approve: (id) => control(`orders/${encodeURIComponent(id)}/approve`, {}),
      reject: (id) => control(`orders/${encodeURIComponent(id)}/reject`, {}),
      publishTxt: (name, values) => control('dns', { name, txt: values }),
      serveHttpFile: async (host, path, content) => {
        web.files.set(`${host}${path}`, content);
        await control('hosts', { host, address: `127.0.0.1:${web.port}` });
      },
      setBalance: (amount) => control(`accounts/${USER}/balance`, { balance: amount }),
      allowOnlyIp: (ip) => control(`accounts/${USER}/allow-ip`, { allowIps: ip ? [ip] : [] }),
      injectFault: (fault) => control('faults', fault),
      clearFaults: async () => {
        await fetch(sim.controlUrl + 'faults', { method: 'DELETE' });
      },
      advanceClock: async (ms) => caClock.advanceMs(ms),
    },
    close: async () => {
      for (const m of opened) m.close();
      await web.close();
      await sim.close();
    },
  };
}

runProcessingModuleContract('GlobalSign on the simulator', startGlobalSignHarness);
