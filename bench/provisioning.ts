import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { makeCsr } from '../ca-simulator/testing/make-csr.ts';
import { builders } from '../test/support/builders.ts';
import type { BillingContext } from '../src/billing/billing-context.ts';
import { composeBareContext } from '../src/compose.ts';
import { createSecretBox } from '../src/core/secrets/index.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { JobHandlers } from '../src/jobs/job-handlers.ts';
import { runDueJobs } from '../src/jobs/run-due-jobs.ts';
import { GlobalSignClient } from '../src/modules/globalsign/globalsign-client.ts';
import { addProcessingModule } from '../src/provisioning/add-processing-module.ts';
import { createGlobalSignOrderSearch } from '../src/provisioning/lifecycle/globalsign-order-search.ts';
import { createLifecycleGateway } from '../src/provisioning/lifecycle/record-order-intent.ts';
import { registerLifecycleJobs } from '../src/provisioning/lifecycle/register-lifecycle-jobs.ts';

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const USER = 'PAR_provisioning_bench';
const PASSWORD = 'bench';
const SERVICES = 1_000;
const CONCURRENCY = 16;

if (process.env['CERTBILL_PROVISIONING_BENCH_SERVER'] === '1') {
  const { startSimulator } = await import('../ca-simulator/server.ts');
  const sim = await startSimulator({
    port: 0,
    host: '127.0.0.1',
    user: USER,
    password: PASSWORD,
    balance: '100000000.00',
    autoApprove: true,
  });
  process.send?.({ baseUrl: sim.baseUrl });
  process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
}

/**
 * 1,000 paid DV (DNS, auto-approved) services from payment to Active on SQLite, with the simulator
 * in its own process and due jobs run in a loop, 16 at a time; then the simulator's raw rate for the
 * same number of GetDVApproverList → DVOrder → GetOrderByOrderID flows driven by the GlobalSign
 * client, 16 at a time. Goal: all Active in under 60 s.
 */
export default async function bench(): Promise<Figure[]> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CERTBILL_PROVISIONING_BENCH_SERVER: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-bench-provisioning-'));
  try {
    const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { baseUrl: string }));
      child.once('exit', (code) => reject(new Error(`bench simulator exited with ${code}`)));
    });
    return [...(await lifecycleRun(baseUrl, dir)), ...(await rawRun(baseUrl))];
  } finally {
    child.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function lifecycleRun(baseUrl: string, dir: string): Promise<Figure[]> {
  const db = await openDatabase(`sqlite:${path.join(dir, 'bench.sqlite')}`);
  try {
    await migrateToLatest(db);
    const provisioningSettings = { demoBaseUrl: baseUrl };
    const ctx = {
      ...composeBareContext(db, { version: 'bench' }),
      secrets: createSecretBox({
        env: { CERTBILL_SECRET_KEY: randomBytes(32).toString('base64') },
        keyFile: '/nonexistent-certbill-etc/secret.key',
        create: false,
      }),
      provisioningSettings,
    };
    const billing: BillingContext = {
      db,
      clock: ctx.clock,
      provisioning: createLifecycleGateway({ db, clock: ctx.clock }),
    };
    const make = builders(billing);
    const added = await addProcessingModule(ctx, {
      kind: 'globalsign',
      username: USER,
      password: PASSWORD,
      demo: true,
      name: 'GlobalSign',
      sort: 1,
    });
    const handlers = registerLifecycleJobs(new JobHandlers(), {
      modules: ctx.modules,
      provisioningSettings,
      lifecycle: {
        orderSearches: new Map([['globalsign', createGlobalSignOrderSearch]]),
        pollDelayMs: 200,
        maxPollDelayMs: 1_000,
      },
    });
    const client = await make.client({ balance: String(SERVICES * 40) + '.00' });
    const tariff = await make.tariff({ moduleIds: [added.module.id] });

    const paidAt = performance.now();
    for (let i = 0; i < SERVICES; i++) {
      await make.order({
        clientId: client.id,
        tariffId: tariff.id,
        cn: `s${i}.bench.example.com`,
        dcv: 'dns',
      });
    }
    const paidAll = performance.now();
    let active = 0;
    let rounds = 0;
    while (active < SERVICES && performance.now() - paidAt < 600_000) {
      await runDueJobs(ctx, handlers, { now: ctx.clock.now(), concurrency: CONCURRENCY, limit: 10_000 });
      rounds += 1;
      const row = await db.kysely
        .selectFrom('services')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'active')
        .executeTakeFirstOrThrow();
      active = Number(row.n);
      if (active < SERVICES) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = performance.now();
    return [
      {
        name: 'lifecycle.1000-paid-dv.payment-to-all-active',
        value: (done - paidAt) / 1000,
        unit: 's',
        note: `SQLite, simulator in a child process, runDueJobs concurrency ${CONCURRENCY}, ${rounds} rounds, ${active}/${SERVICES} active; goal < 60`,
      },
      {
        name: 'lifecycle.1000-paid-dv.payments-alone',
        value: (paidAll - paidAt) / 1000,
        unit: 's',
        note: 'placeCertificateOrder ×1000 (charge, service, intent and place-order job), part of the figure above',
      },
      {
        name: 'lifecycle.1000-paid-dv.services-per-second',
        value: SERVICES / ((done - paidAt) / 1000),
        unit: 'services/s',
      },
    ];
  } finally {
    await db.close();
  }
}

async function rawRun(baseUrl: string): Promise<Figure[]> {
  const csrs = Array.from({ length: SERVICES }, (_, i) => makeCsr(`r${i}.bench.example.com`, 'p256'));
  const client = new GlobalSignClient({ baseUrl, username: USER, password: PASSWORD });
  try {
    const contact = {
      firstName: 'Bench',
      lastName: 'Bench',
      phone: '+1 000 000 0000',
      email: 'b@bench.example.com',
    };
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < SERVICES; i = next++) {
        const fqdn = `r${i}.bench.example.com`;
        const list = await client.getDvApproverList({ fqdn });
        await client.dvOrder({
          order: { productCode: 'DV_LOW', orderKind: 'new', validity: { months: 12 }, csr: csrs[i]! },
          orderId: list.orderId,
          approverEmail: `admin@${fqdn}`,
          contact,
        });
        const got = await client.getOrderByOrderId(list.orderId, { fulfillment: true });
        if (!got.detail.fulfillment?.serverCertificate) throw new Error(`order ${list.orderId} not issued`);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - start) / 1000;
    return [
      {
        name: 'simulator.1000-dv-orders-by-client.wall',
        value: seconds,
        unit: 's',
        note: `GetDVApproverList → DVOrder → GetOrderByOrderID(fulfillment), ${CONCURRENCY} at a time, CSRs prepared beforehand`,
      },
      { name: 'simulator.1000-dv-orders-by-client.rate', value: SERVICES / seconds, unit: 'orders/s' },
    ];
  } finally {
    client.close();
  }
}
