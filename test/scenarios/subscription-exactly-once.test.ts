import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import { getService } from '../../src/billing/service-repository.ts';
import { TestClock } from '../../src/core/clock.ts';
import type { Database } from '../../src/db/database.ts';
import { JobHandlers } from '../../src/jobs/job-handlers.ts';
import { listJobs } from '../../src/jobs/job-queue.ts';
import { runDueJobs } from '../../src/jobs/run-due-jobs.ts';
import { listGenerations } from '../../src/provisioning/lifecycle/generation-repository.ts';
import { createGlobalSignOrderSearch } from '../../src/provisioning/lifecycle/globalsign-order-search.ts';
import type { LifecycleStep } from '../../src/provisioning/lifecycle/lifecycle-context.ts';
import { registerLifecycleJobs } from '../../src/provisioning/lifecycle/register-lifecycle-jobs.ts';
import { createTestDatabase, testDialects } from '../support/databases.ts';
import { provisioningOnSimulator, runWorkerProcess, serviceOutcomes } from '../support/worker-processes.ts';

const WORKER = 'test/scenarios/fixtures/subscription-worker.ts';
const USER = 'PAR_reissue';
const PASSWORD = 'reissue-secret';
const START = new Date('2026-04-02T12:00:00Z');
/** Between two services' triggers, and so between two workers: longer than the 5-minute lease. */
const GAP_MS = 20 * 60_000;
/** Where a worker dies in a reissue: after the intent (module pinned), after the CA answered, after recording. */
const CRASH_STEPS: readonly LifecycleStep[] = ['module-pinned', 'ca-answered', 'order-recorded'];

const runWorker = (args: string[], env: Record<string, string>) =>
  runWorkerProcess(WORKER, args, env, 60_000);

let sim: RunningSimulator;
/** The CA's clock: set with certbill's, so certificates carry the dates of the instant simulated. */
const caClock = new TestClock(START);
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    balance: '100000.00',
    autoApprove: true,
    clock: caClock,
  });
});
afterAll(async () => sim?.close());

interface Setup {
  readonly db: Database & { drop(): Promise<void> };
  readonly clock: TestClock;
  readonly secretKey: string;
  /** Issues a 5-year DV certificate for `cn` now (in this process) and returns the service id. */
  issue(cn: string): Promise<number>;
}

async function setUp(dialect: 'sqlite' | 'postgres'): Promise<Setup> {
  const db = await createTestDatabase(dialect);
  const clock = new TestClock(START);
  const { ctx, make, secretKey, client, tariff } = await provisioningOnSimulator(db, clock, sim, {
    user: USER,
    password: PASSWORD,
    balance: '50000.00',
  });
  const handlers = registerLifecycleJobs(new JobHandlers(), {
    modules: ctx.modules,
    provisioningSettings: ctx.provisioningSettings,
    lifecycle: { orderSearches: new Map([['globalsign', createGlobalSignOrderSearch]]), pollDelayMs: 1_000 },
  });
  return {
    db,
    clock,
    secretKey,
    async issue(cn: string) {
      const { serviceId } = await make.order({
        clientId: client.id,
        tariffId: tariff.id,
        cn,
        years: 5,
        dcv: 'dns',
      });
      for (let i = 0; i < 10 && (await getService(db.kysely, serviceId)).status !== 'active'; i++) {
        caClock.set(clock.now());
        await runDueJobs(ctx, handlers, { now: clock.now() });
        clock.advanceMs(2_000);
      }
      expect((await getService(db.kysely, serviceId)).status).toBe('active');
      return serviceId;
    },
  };
}

const converged = (label: string) => ({
  service: label,
  status: 'active',
  caOrders: 2,
  charges: 1,
  generations: ['superseded', 'issued'],
  sameOrders: true,
});

describe.each(testDialects())('the reissue of a certificate generation, exactly once, on %s', (dialect) => {
  it('is placed once at the CA when two worker processes scan and run the reissue jobs at the same instant', async () => {
    const setup = await setUp(dialect);
    try {
      const services = [];
      for (let i = 0; i < 4; i++) {
        const cn = `pair-${i}.${dialect}.reissue.example.com`;
        services.push({ id: await setup.issue(cn), cn, label: cn });
      }
      const trigger = Math.max(
        ...(await Promise.all(
          services.map(async (s) =>
            new Date((await listGenerations(setup.db.kysely, s.id))[0]!.reissueAt!).getTime(),
          ),
        )),
      );
      const at = new Date(trigger + 1000);
      caClock.set(at);
      const args = [setup.db.url, sim.baseUrl, at.toISOString(), services.map((s) => s.id).join(',')];
      const env = { CERTBILL_SECRET_KEY: setup.secretKey };
      const [one, two] = await Promise.all([runWorker(args, env), runWorker(args, env)]);
      expect(one.code, one.stdout + one.stderr).toBe(0);
      expect(two.code, two.stdout + two.stderr).toBe(0);
      expect(await serviceOutcomes(setup.db, sim, services)).toEqual(services.map((s) => converged(s.label)));
      const reissueJobs = (await listJobs(setup.db, { limit: 1000 })).filter((j) => j.kind === 'reissue');
      expect(reissueJobs.map((j) => j.key).sort()).toEqual(services.map((s) => `reissue:${s.id}:2`).sort());
      expect(reissueJobs.every((j) => j.state === 'done')).toBe(true);
    } finally {
      await setup.db.drop();
    }
  }, 180_000);

  it('is placed once at the CA when the worker is killed with SIGKILL mid-reissue and another takes over', async () => {
    const setup = await setUp(dialect);
    try {
      const services: Array<{ id: number; cn: string; label: string; trigger: Date }> = [];
      for (const [i, step] of CRASH_STEPS.entries()) {
        setup.clock.set(new Date(START.getTime() + i * GAP_MS));
        const cn = `${step}.${dialect}.reissue.example.com`;
        const id = await setup.issue(cn);
        const trigger = new Date((await listGenerations(setup.db.kysely, id))[0]!.reissueAt!);
        services.push({ id, cn, label: `killed at ${step}`, trigger });
      }
      for (const [i, step] of CRASH_STEPS.entries()) {
        const s = services[i]!;
        // This worker also takes over the previous service, whose worker died 20 minutes earlier.
        const at = new Date(s.trigger.getTime() + 1000);
        caClock.set(at);
        const exit = await runWorker([setup.db.url, sim.baseUrl, at.toISOString(), String(s.id)], {
          CERTBILL_SECRET_KEY: setup.secretKey,
          CRASH_AT_STEP: step,
        });
        expect({ step, signal: exit.signal, said: exit.stderr.trim().split('\n').at(-1) }).toMatchObject({
          step,
          signal: 'SIGKILL',
          said: expect.stringContaining(`crashed at ${step}`),
        });
      }
      const last = services.at(-1)!.trigger.getTime() + GAP_MS;
      caClock.set(new Date(last));
      const clean = await runWorker(
        [setup.db.url, sim.baseUrl, new Date(last).toISOString(), services.map((s) => s.id).join(',')],
        { CERTBILL_SECRET_KEY: setup.secretKey },
      );
      expect(clean.code, clean.stdout + clean.stderr).toBe(0);
      expect(await serviceOutcomes(setup.db, sim, services)).toEqual(services.map((s) => converged(s.label)));
    } finally {
      await setup.db.drop();
    }
  }, 240_000);
});
