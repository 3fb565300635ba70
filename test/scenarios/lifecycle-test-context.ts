import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { BillingContext } from '../../src/billing/billing-context.ts';
import { getService, viewService, type ServiceView } from '../../src/billing/service-repository.ts';
import * as lifecycleMigration from '../../src/db/migrations/005-lifecycle.ts';
import type { Dialect } from '../../src/db/database.ts';
import { JobHandlers } from '../../src/jobs/job-handlers.ts';
import { runDueJobs, type JobRun } from '../../src/jobs/run-due-jobs.ts';
import { addProcessingModule } from '../../src/provisioning/add-processing-module.ts';
import { createGlobalSignOrderSearch } from '../../src/provisioning/lifecycle/globalsign-order-search.ts';
import type {
  LifecycleContext,
  LifecycleOptions,
} from '../../src/provisioning/lifecycle/lifecycle-context.ts';
import { createLifecycleGateway } from '../../src/provisioning/lifecycle/record-order-intent.ts';
import { registerLifecycleJobs } from '../../src/provisioning/lifecycle/register-lifecycle-jobs.ts';
import { builders } from '../support/builders.ts';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../contract/provisioning-test-context.ts';

export interface SimCall {
  readonly operation: string;
  readonly successCode: number | null;
  readonly orderId?: string;
  readonly fqdn?: string;
}

export type LifecycleTestContext = ProvisioningTestContext &
  LifecycleContext & {
    billing: BillingContext;
    handlers: JobHandlers;
    make: ReturnType<typeof builders>;
    /** Runs every job due now (the test clock's instant). */
    runJobs(): Promise<JobRun[]>;
    /** Moves both clocks (certbill's and the CA's) forward. */
    advance(ms: number): void;
    /** Advances and runs jobs until the service reaches `status` or `rounds` run out. */
    settle(serviceId: number, status: string, rounds?: number): Promise<ServiceView>;
    show(serviceId: number): Promise<ServiceView>;
    calls(): Promise<SimCall[]>;
    addModule(opts?: {
      name?: string;
      sort?: number;
      minBalance?: string;
      password?: string;
    }): Promise<number>;
  };

/**
 * A lifecycle scenario: a fresh database of `dialect` with the lifecycle tables, a simulator on
 * 127.0.0.1, billing wired to the lifecycle gateway and the lifecycle's jobs registered.
 */
export async function createLifecycleTestContext(
  dialect: Dialect,
  options: LifecycleOptions = {},
): Promise<LifecycleTestContext> {
  const base = await createProvisioningTestContext(dialect);
  await lifecycleMigration.up(base.db.kysely as unknown as Kysely<unknown>);
  const lifecycle: LifecycleOptions = {
    orderSearches: new Map([['globalsign', createGlobalSignOrderSearch]]),
    ...options,
  };
  const gateway = createLifecycleGateway(base);
  const billing: BillingContext = { db: base.db, clock: base.clock, provisioning: gateway };
  const handlers = registerLifecycleJobs(new JobHandlers(), {
    modules: base.modules,
    ...(base.provisioningSettings ? { provisioningSettings: base.provisioningSettings } : {}),
    lifecycle,
  });
  const ctx = Object.assign(base, { lifecycle, billing, handlers, make: builders(billing) });
  let modules = 0;
  return Object.assign(ctx, {
    async runJobs() {
      return (await runDueJobs(ctx, handlers, { now: ctx.clock.now(), concurrency: 4 })).ran;
    },
    advance(ms: number) {
      ctx.clock.advanceMs(ms);
      ctx.caClock.advanceMs(ms);
    },
    async show(serviceId: number) {
      return viewService(await getService(ctx.db.kysely, serviceId));
    },
    async settle(serviceId: number, status: string, rounds = 20) {
      let view = await this.show(serviceId);
      for (let i = 0; i < rounds && view.status !== status; i++) {
        await this.runJobs();
        view = await this.show(serviceId);
        if (view.status === status) break;
        this.advance(61_000);
      }
      return view;
    },
    async calls() {
      return ((await ctx.control('calls')) as { calls: SimCall[] }).calls;
    },
    async addModule(opts: { name?: string; sort?: number; minBalance?: string; password?: string } = {}) {
      modules += 1;
      const added = await addProcessingModule(ctx, {
        kind: 'globalsign',
        username: SIM_USER,
        password: opts.password ?? SIM_PASSWORD,
        demo: true,
        name: opts.name ?? `GlobalSign ${modules}`,
        sort: opts.sort ?? modules,
        minBalance: opts.minBalance ?? null,
      });
      return added.module.id;
    },
  });
}

/** A loopback web server answering the validation files the CA's HTTP check asks for, by Host. */
export async function startFileServer(): Promise<{
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

/** Orders placed at the simulator (calls that create a CA order and succeeded). */
export function placements(calls: readonly SimCall[]): SimCall[] {
  return calls.filter(
    (c) =>
      ['DVOrder', 'URLVerification', 'DVDNSOrder', 'OVOrder', 'EVOrder'].includes(c.operation) &&
      c.successCode !== -1,
  );
}
