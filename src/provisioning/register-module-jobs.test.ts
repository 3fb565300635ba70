import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../../test/contract/provisioning-test-context.ts';
import { testDialects } from '../../test/support/databases.ts';
import { JobHandlers } from '../jobs/job-handlers.ts';
import { listTasks } from '../jobs/open-task.ts';
import { runDueJobs } from '../jobs/run-due-jobs.ts';
import { addProcessingModule } from './add-processing-module.ts';
import { getProcessingModule, provisioningKysely } from './module-repository.ts';
import { MODULE_BALANCE_REFRESH_JOB, registerModuleJobs } from './register-module-jobs.ts';

const HOUR = 3_600_000;

describe.each(testDialects())('module balance refresh on %s', (dialect) => {
  let ctx: ProvisioningTestContext;
  let handlers: JobHandlers;
  let moduleId: number;
  let departmentId: number;
  beforeEach(async () => {
    ctx = await createProvisioningTestContext(dialect);
    handlers = registerModuleJobs(new JobHandlers(), {
      modules: ctx.modules,
      ...(ctx.provisioningSettings ? { provisioningSettings: ctx.provisioningSettings } : {}),
      balanceRefreshMs: 6 * HOUR,
    });
    const dept = await ctx.db.kysely
      .insertInto('departments')
      .values({ name: 'Certificates', email: null, created_at: '2026-01-01T00:00:00Z' })
      .returning('id')
      .executeTakeFirstOrThrow();
    departmentId = Number(dept.id);
    const added = await addProcessingModule(ctx, {
      kind: 'globalsign',
      username: SIM_USER,
      password: SIM_PASSWORD,
      demo: true,
      name: 'GlobalSign main',
      department: 'Certificates',
      sort: 1,
      minBalance: '500.00',
    });
    moduleId = added.module.id;
  });
  afterEach(async () => {
    await ctx.close();
  });

  const nextSlot = async () => {
    ctx.clock.advanceMs(6 * HOUR);
    return (await runDueJobs(ctx, handlers, { now: ctx.clock.now() })).ran;
  };
  const setBalance = (balance: string) => ctx.control(`accounts/${SIM_USER}/balance`, { balance });
  const lowBalanceTasks = () => listTasks(ctx.db, { related: `module:${moduleId}` });

  it('opens one task in the Department when the balance falls below the minimum, and closes it when it recovers', async () => {
    expect((await nextSlot()).map((r) => [r.kind, r.outcome])).toEqual([
      [MODULE_BALANCE_REFRESH_JOB, 'done'],
    ]);
    expect(await lowBalanceTasks()).toEqual([]);

    await setBalance('120.00');
    await nextSlot();
    const [task, ...more] = await lowBalanceTasks();
    expect(more).toEqual([]);
    expect(task).toMatchObject({
      kind: 'module-low-balance',
      state: 'open',
      departmentId,
      dedupeKey: `module-low-balance:module:${moduleId}`,
    });
    expect(task?.body).toContain('120.00');
    expect(await getProcessingModule(ctx, moduleId)).toMatchObject({
      balance: { amountMinor: 12000, currency: 'USD' },
      balanceBelowMinimum: true,
    });

    await setBalance('100.00');
    await nextSlot();
    expect(await lowBalanceTasks()).toHaveLength(1);

    await setBalance('900.00');
    await nextSlot();
    expect((await lowBalanceTasks()).map((t) => t.state)).toEqual(['closed']);
    expect(await getProcessingModule(ctx, moduleId)).toMatchObject({ balanceBelowMinimum: false });
  });

  it('runs the refresh once per slot however often the due jobs run', async () => {
    await nextSlot();
    ctx.clock.advanceMs(HOUR);
    expect((await runDueJobs(ctx, handlers, { now: ctx.clock.now() })).ran).toEqual([]);
  });

  it('skips disabled modules', async () => {
    await provisioningKysely(ctx.db.kysely).updateTable('processing_modules').set({ enabled: 0 }).execute();
    await setBalance('1.00');
    await nextSlot();
    expect(await lowBalanceTasks()).toEqual([]);
    expect(await getProcessingModule(ctx, moduleId)).toMatchObject({ balanceBelowMinimum: false });
  });
});
