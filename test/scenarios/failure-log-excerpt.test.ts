import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogRegistry, type LogRegistry } from '../../src/core/logs/index.ts';
import { listTasks } from '../../src/jobs/open-task.ts';
import { readLogExcerpt } from '../../src/provisioning/lifecycle/module-log-excerpt.ts';
import { SIM_PASSWORD, SIM_USER } from '../contract/provisioning-test-context.ts';
import { testDialects } from '../support/databases.ts';
import { createLifecycleTestContext, type LifecycleTestContext } from './lifecycle-test-context.ts';

describe('a module log excerpt', () => {
  it('keeps the last matching lines only, and does not take service 71 for service 7', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-excerpt-'));
    try {
      const lines = Array.from({ length: 30 }, (_, i) => `line ${i} service 7 order CE${i}`);
      lines.push('line 30 service 71 order CE99');
      fs.writeFileSync(path.join(dir, 'pmglobalsign.log'), lines.join('\n') + '\n');
      const excerpt = readLogExcerpt({ dir, logName: 'pmglobalsign', needles: ['service 7'] });
      expect(excerpt).toHaveLength(20);
      expect(excerpt[0]).toBe('line 10 service 7 order CE10');
      expect(excerpt.at(-1)).toBe('line 29 service 7 order CE29');
      expect(
        readLogExcerpt({ dir: path.join(dir, 'missing'), logName: 'x', needles: ['service 7'] }),
      ).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testDialects())('failure tasks quote the module log on %s', (dialect) => {
  let ctx: LifecycleTestContext;
  let logs: LogRegistry;
  let dir: string;
  afterEach(async () => {
    logs?.close();
    await ctx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The scenario context with real module logs in a temporary folder (request lines on). */
  async function contextWithLogs(): Promise<void> {
    ctx = await createLifecycleTestContext(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-logs-'));
    fs.writeFileSync(path.join(dir, 'debug.conf'), 'pmglobalsign.* 5\n');
    logs = createLogRegistry({ dir, etcDir: dir, clock: ctx.clock });
    Object.assign(ctx, { config: { ...ctx.config, logDir: dir }, logger: logs.logger });
  }

  async function emailOrder(cn: string, moduleId: number): Promise<{ serviceId: number; caOrderId: string }> {
    const client = await ctx.make.client({ balance: '500.00' });
    const tariff = await ctx.make.tariff({ moduleIds: [moduleId] });
    const order = await ctx.make.order({ clientId: client.id, tariffId: tariff.id, cn, dcv: 'email' });
    await ctx.runJobs();
    const view = await ctx.show(order.serviceId);
    const caOrderId = view.validation?.caOrderId;
    if (!caOrderId) throw new Error(`service ${order.serviceId} has no CA order`);
    return { serviceId: order.serviceId, caOrderId };
  }

  it('a service failed by the CA gets a task with the log lines of its own order', async () => {
    await contextWithLogs();
    const moduleId = await ctx.addModule();
    const other = await emailOrder('other.excerpt.example.com', moduleId);
    const mine = await emailOrder('rejected.excerpt.example.com', moduleId);
    await ctx.control(`orders/${mine.caOrderId}/reject`, {});
    ctx.advance(61_000);
    await ctx.runJobs();

    expect((await ctx.show(mine.serviceId)).status).toBe('failed');
    const [task] = (await listTasks(ctx.db, { state: 'open' })).filter(
      (t) => t.kind === 'certificate-failed' && t.related === `service:${mine.serviceId}`,
    );
    const body = task?.body ?? '';
    const [, excerpt = ''] = body.split('Last lines of pmglobalsign.log about this order:\n');
    const lines = excerpt.split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.some((l) => l.includes(`GetOrderByOrderID order=${mine.caOrderId}`))).toBe(true);
    expect(lines.every((l) => l.includes(mine.caOrderId) || l.includes(`service ${mine.serviceId}`))).toBe(
      true,
    );
    expect(excerpt).not.toContain(other.caOrderId);
  });

  it('a poll job that fails until its retries run out opens a task quoting its failed attempts', async () => {
    await contextWithLogs();
    const moduleId = await ctx.addModule();
    const { serviceId, caOrderId } = await emailOrder('dead-job.excerpt.example.com', moduleId);
    await ctx.control('accounts', { user: SIM_USER, password: 'rotated-at-the-ca' });
    for (let i = 0; i < 12; i++) {
      ctx.advance(3_600_000);
      await ctx.runJobs();
      if ((await listTasks(ctx.db, { state: 'open' })).some((t) => t.kind === 'job-dead')) break;
    }
    const [task] = (await listTasks(ctx.db, { state: 'open' })).filter((t) => t.kind === 'job-dead');
    expect(task?.title).toMatch(/poll-order/);
    const body = task?.body ?? '';
    expect(body).toContain('Last lines of pmglobalsign.log about this order:');
    expect(body).toMatch(
      new RegExp(`service ${serviceId} generation \\d+ order ${caOrderId}: poll-order attempt 8/8 failed`),
    );
    expect(body).toContain(`GetOrderByOrderID order=${caOrderId}`);
    expect(body).not.toContain(SIM_PASSWORD);
  });
});
