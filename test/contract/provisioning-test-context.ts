import type { Kysely } from 'kysely';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import { TestClock } from '../../src/core/clock.ts';
import * as provisioningMigration from '../../src/db/migrations/004-provisioning.ts';
import type { Dialect } from '../../src/db/database.ts';
import { registerGlobalSign } from '../../src/modules/globalsign/globalsign-module.ts';
import { createModuleRegistry } from '../../src/provisioning/module-registry.ts';
import type { ProvisioningContext } from '../../src/provisioning/provisioning-context.ts';
import { createTestContext, type TestContext } from '../support/app.ts';

export const SIM_USER = 'PAR12345_api';
export const SIM_PASSWORD = 'sim-secret';
/** An address the tests offer as "this host's" but that no interface has: binding to it fails locally. */
export const FOREIGN_ADDRESS = '192.0.2.77';

export type ProvisioningTestContext = TestContext &
  ProvisioningContext & {
    sim: RunningSimulator;
    caClock: TestClock;
    control(path: string, body?: unknown, method?: string): Promise<unknown>;
    close(): Promise<void>;
  };

/**
 * A test context on a fresh database of `dialect` with the provisioning tables, GlobalSign registered,
 * and a simulator on 127.0.0.1 that Demo modules talk to (balance 1000.00 USD).
 */
export async function createProvisioningTestContext(dialect: Dialect): Promise<ProvisioningTestContext> {
  const base = await createTestContext(dialect);
  await provisioningMigration.up(base.db.kysely as unknown as Kysely<unknown>);
  const caClock = new TestClock('2026-04-02T12:00:00Z');
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: SIM_USER,
    password: SIM_PASSWORD,
    balance: '1000.00',
    currency: 'USD',
    clock: caClock,
  });
  const modules = createModuleRegistry();
  registerGlobalSign(modules);
  const control = async (path: string, body?: unknown, method?: string): Promise<unknown> => {
    const res = await fetch(sim.controlUrl + path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`simulator control ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return Object.assign(base, {
    modules,
    provisioningSettings: {
      demoBaseUrl: sim.baseUrl,
      hostAddresses: () => ['127.0.0.1', FOREIGN_ADDRESS],
      checkTimeouts: { connectMs: 2_000, readMs: 2_000 },
    },
    sim,
    caClock,
    control,
    async close() {
      await sim.close();
      await base.drop();
    },
  });
}

/** The SOAP calls the simulator received so far. */
export async function simulatorCallCount(ctx: ProvisioningTestContext): Promise<number> {
  const r = (await ctx.control('calls')) as { calls: unknown[] };
  return r.calls.length;
}
