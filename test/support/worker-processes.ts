import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RunningSimulator } from '../../ca-simulator/server.ts';
import type { BillingContext } from '../../src/billing/billing-context.ts';
import { getService } from '../../src/billing/service-repository.ts';
import { composeBareContext } from '../../src/compose.ts';
import type { TestClock } from '../../src/core/clock.ts';
import { createSecretBox } from '../../src/core/secrets/index.ts';
import type { Database } from '../../src/db/database.ts';
import { addProcessingModule } from '../../src/provisioning/add-processing-module.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { createLifecycleGateway } from '../../src/provisioning/lifecycle/record-order-intent.ts';
import { builders } from './builders.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface WorkerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a TypeScript worker script (a path from the project root) in its own Node process and
 * resolves when it ends, however it ends; one still running after `timeoutMs` is killed.
 */
export function runWorkerProcess(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<WorkerExit> {
  const child = spawn(process.execPath, ['bin/run-ts.js', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += String(chunk)));
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

/** An order as the simulator's control API lists it. */
export interface SimulatorOrder {
  readonly orderId: string;
  readonly fqdn: string;
}

export async function simulatorOrders(sim: RunningSimulator): Promise<SimulatorOrder[]> {
  const res = await fetch(`${sim.controlUrl}orders`);
  return ((await res.json()) as { orders: SimulatorOrder[] }).orders;
}

/**
 * Per service: its status, how many CA orders the simulator holds for its name, its charges, the
 * states of its generations, and whether every generation's CA order is one of those orders.
 */
export async function serviceOutcomes(
  db: Database,
  sim: RunningSimulator,
  services: ReadonlyArray<{ id: number; cn: string; label: string }>,
) {
  const orders = await simulatorOrders(sim);
  const outcome = [];
  for (const s of services) {
    const generations = await listGenerations(db.kysely, s.id);
    const charges = await db.kysely
      .selectFrom('ledger_entries')
      .select('id')
      .where('service_id', '=', s.id)
      .where('kind', '=', 'charge')
      .execute();
    const atCa = orders.filter((o) => o.fqdn === s.cn).map((o) => o.orderId);
    outcome.push({
      service: s.label,
      status: (await getService(db.kysely, s.id)).status,
      caOrders: atCa.length,
      charges: charges.length,
      generations: generations.map((g) => g.state),
      sameOrders: generations.every((g) => g.caOrderId !== null && atCa.includes(g.caOrderId)),
    });
  }
  return outcome;
}

/**
 * What a test that hands work to worker processes needs in its own process: a context whose
 * secret key the workers get through CERTBILL_SECRET_KEY, a GlobalSign module on the simulator,
 * and a client with a balance and a DV tariff sold through that module.
 */
export async function provisioningOnSimulator(
  db: Database,
  clock: TestClock,
  sim: RunningSimulator,
  opts: { user: string; password: string; balance: string },
) {
  const secretKey = randomBytes(32).toString('base64');
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
    username: opts.user,
    password: opts.password,
    demo: true,
    name: 'GlobalSign',
    sort: 1,
  });
  const client = await make.client({ balance: opts.balance });
  const tariff = await make.tariff({ moduleIds: [added.module.id] });
  return { ctx, make, secretKey, client, tariff };
}
