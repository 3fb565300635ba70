import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import type { BillingContext } from '../../src/billing/billing-context.ts';
import { getService } from '../../src/billing/service-repository.ts';
import { composeBareContext } from '../../src/compose.ts';
import { TestClock } from '../../src/core/clock.ts';
import { createSecretBox } from '../../src/core/secrets/index.ts';
import { addProcessingModule } from '../../src/provisioning/add-processing-module.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import type { LifecycleStep } from '../../src/provisioning/lifecycle/lifecycle-context.ts';
import { createLifecycleGateway } from '../../src/provisioning/lifecycle/record-order-intent.ts';
import { builders } from '../support/builders.ts';
import { createTestDatabase, testDialects } from '../support/databases.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKER = 'test/scenarios/fixtures/lifecycle-worker.ts';
const USER = 'PAR_crash';
const PASSWORD = 'crash-secret';
const START = new Date('2026-04-02T12:00:00Z');
/** Between two workers: longer than the 5-minute lease, so each one takes over what the last left. */
const WORKER_GAP_MS = 10 * 60_000;

/**
 * Where each worker dies. Every step is covered; e-mail orders reconcile by their reserved order id
 * and HTTP/DNS orders by a search at the CA, so the steps around the CA call are crossed with both.
 */
const CRASHES: ReadonlyArray<{ dcv: 'dns' | 'email' | 'http'; step: LifecycleStep }> = [
  { dcv: 'dns', step: 'key-stored' },
  { dcv: 'dns', step: 'module-pinned' },
  { dcv: 'dns', step: 'ca-answered' },
  { dcv: 'dns', step: 'order-recorded' },
  { dcv: 'dns', step: 'order-fetched' },
  { dcv: 'dns', step: 'certificate-recorded' },
  { dcv: 'dns', step: 'paid-period-started' },
  { dcv: 'dns', step: 'service-activated' },
  { dcv: 'email', step: 'module-pinned' },
  { dcv: 'email', step: 'order-reserved' },
  { dcv: 'email', step: 'ca-answered' },
  { dcv: 'http', step: 'ca-answered' },
];

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runWorker(args: string[], env: Record<string, string>): Promise<Exit> {
  const child = spawn(process.execPath, ['bin/run-ts.js', WORKER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

interface SimOrder {
  readonly orderId: string;
  readonly fqdn: string;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    balance: '100000.00',
    autoApprove: true,
    clock: new TestClock(START),
  });
});
afterAll(async () => sim?.close());

describe.each(testDialects())('worker processes killed with SIGKILL on %s', (dialect) => {
  it('leave exactly one CA order, one charge and one issued certificate per service once a restarted worker takes over, at every lifecycle step', async () => {
    const db = await createTestDatabase(dialect);
    try {
      const secretKey = randomBytes(32).toString('base64');
      const clock = new TestClock(START);
      const ctx = {
        ...composeBareContext(db, { clock, version: 'test' }),
        secrets: createSecretBox({
          env: { CERTBILL_SECRET_KEY: secretKey },
          keyFile: '/nonexistent-certbill-etc/secret.key',
          create: false,
        }),
        provisioningSettings: { demoBaseUrl: sim.baseUrl },
      };
      const billing: BillingContext = { db, clock, provisioning: createLifecycleGateway({ db, clock }) };
      const make = builders(billing);
      const added = await addProcessingModule(ctx, {
        kind: 'globalsign',
        username: USER,
        password: PASSWORD,
        demo: true,
        name: 'GlobalSign',
        sort: 1,
      });
      const client = await make.client({ balance: '5000.00' });
      const tariff = await make.tariff({ moduleIds: [added.module.id] });
      const workerArgs = (serviceIds: number[]) => [
        db.url,
        sim.baseUrl,
        clock.now().toISOString(),
        serviceIds.join(','),
      ];

      const services: Array<{ id: number; cn: string; crash: string }> = [];
      for (const crash of CRASHES) {
        clock.set(new Date(START.getTime() + services.length * WORKER_GAP_MS));
        const cn = `${crash.step}.${crash.dcv}.${dialect}.crash.example.com`;
        const { serviceId } = await make.order({
          clientId: client.id,
          tariffId: tariff.id,
          cn,
          dcv: crash.dcv,
        });
        const [generation] = await listGenerations(db.kysely, serviceId);
        // This worker also takes over the previous service, whose worker died before this one.
        const exit = await runWorker(workerArgs([serviceId]), {
          CERTBILL_SECRET_KEY: secretKey,
          CRASH_AT_STEP: crash.step,
          CRASH_GENERATION: String(generation!.id),
        });
        expect({ crash, signal: exit.signal, said: exit.stderr.trim().split('\n').at(-1) }).toEqual({
          crash,
          signal: 'SIGKILL',
          said: `crashed at ${crash.step} (generation ${generation!.id})`,
        });
        services.push({ id: serviceId, cn, crash: `${crash.dcv} ${crash.step}` });
      }

      clock.set(new Date(START.getTime() + services.length * WORKER_GAP_MS));
      const clean = await runWorker(workerArgs(services.map((s) => s.id)), {
        CERTBILL_SECRET_KEY: secretKey,
      });
      expect(clean.code, clean.stdout + clean.stderr).toBe(0);

      const orders = ((await (await fetch(`${sim.controlUrl}orders`)).json()) as { orders: SimOrder[] })
        .orders;
      const outcome = [];
      for (const s of services) {
        const generations = await listGenerations(db.kysely, s.id);
        const charges = await db.kysely
          .selectFrom('ledger_entries')
          .select('id')
          .where('service_id', '=', s.id)
          .where('kind', '=', 'charge')
          .execute();
        const atCa = orders.filter((o) => o.fqdn === s.cn);
        outcome.push({
          crash: s.crash,
          status: (await getService(db.kysely, s.id)).status,
          caOrders: atCa.length,
          charges: charges.length,
          generations: generations.map((g) => g.state),
          sameOrder: generations[0]?.caOrderId === atCa[0]?.orderId,
        });
      }
      expect(outcome).toEqual(
        services.map((s) => ({
          crash: s.crash,
          status: 'active',
          caOrders: 1,
          charges: 1,
          generations: ['issued'],
          sameOrder: true,
        })),
      );
    } finally {
      await db.drop();
    }
  }, 120_000);
});
