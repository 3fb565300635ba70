import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import { TestClock } from '../../src/core/clock.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import type { LifecycleStep } from '../../src/provisioning/lifecycle/lifecycle-context.ts';
import { createTestDatabase, testDialects } from '../support/databases.ts';
import { provisioningOnSimulator, runWorkerProcess, serviceOutcomes } from '../support/worker-processes.ts';

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

const runWorker = (args: string[], env: Record<string, string>) =>
  runWorkerProcess(WORKER, args, env, 40_000);

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
      const clock = new TestClock(START);
      const { make, secretKey, client, tariff } = await provisioningOnSimulator(db, clock, sim, {
        user: USER,
        password: PASSWORD,
        balance: '5000.00',
      });
      const workerArgs = (serviceIds: number[]) => [
        db.url,
        sim.baseUrl,
        clock.now().toISOString(),
        serviceIds.join(','),
      ];

      const services: Array<{ id: number; cn: string; label: string }> = [];
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
        services.push({ id: serviceId, cn, label: `${crash.dcv} ${crash.step}` });
      }

      clock.set(new Date(START.getTime() + services.length * WORKER_GAP_MS));
      const clean = await runWorker(workerArgs(services.map((s) => s.id)), {
        CERTBILL_SECRET_KEY: secretKey,
      });
      expect(clean.code, clean.stdout + clean.stderr).toBe(0);

      expect(await serviceOutcomes(db, sim, services)).toEqual(
        services.map((s) => ({
          service: s.label,
          status: 'active',
          caOrders: 1,
          charges: 1,
          generations: ['issued'],
          sameOrders: true,
        })),
      );
    } finally {
      await db.drop();
    }
  }, 120_000);
});
