import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects } from '../../test/support/databases.ts';
import type { TestContext } from '../../test/support/app.ts';
import {
  closeTask,
  countTasksByDepartment,
  getTask,
  listTasks,
  openTask,
  type OpenTaskInput,
} from './open-task.ts';
import { createJobsTestContext } from './jobs-test-context.ts';

describe.each(testDialects())('tasks on %s', (dialect) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createJobsTestContext(dialect);
  });
  afterEach(async () => {
    await ctx.drop();
  });
  const problem = (): OpenTaskInput => ({
    kind: 'dcv-needed',
    title: 'example.com needs fresh validation',
    body: 'The DNS TXT record must be published before 2026-10-01.',
    related: 'service:12',
    dedupeKey: 'dcv-needed:service:12',
    departmentId: 2,
    now: ctx.clock.now(),
  });

  it('opens one task per problem: the same dedupe key returns the open task', async () => {
    const first = await openTask(ctx.db, problem());
    expect(first).toMatchObject({
      kind: 'dcv-needed',
      state: 'open',
      related: 'service:12',
      departmentId: 2,
      createdAt: '2026-04-02T12:00:00.000Z',
      closedAt: null,
    });
    ctx.clock.advanceDays(1);
    expect(await openTask(ctx.db, problem())).toEqual(first);
    expect(await listTasks(ctx.db)).toHaveLength(1);
  });

  it('opens a new task when the same problem comes back after its task was closed', async () => {
    const first = await openTask(ctx.db, problem());
    ctx.clock.advanceDays(1);
    const closed = await closeTask(ctx.db, first.id, { now: ctx.clock.now() });
    expect(closed).toMatchObject({ state: 'closed', closedAt: '2026-04-03T12:00:00.000Z' });
    expect(await closeTask(ctx.db, first.id, { now: ctx.clock.now() })).toEqual(closed);
    const second = await openTask(ctx.db, problem());
    expect(second.id).not.toBe(first.id);
    expect((await listTasks(ctx.db, { state: 'open' })).map((t) => t.id)).toEqual([second.id]);
    expect((await listTasks(ctx.db, { state: 'closed' })).map((t) => t.id)).toEqual([first.id]);
  });

  it('filters tasks by department and related record, newest first', async () => {
    await openTask(ctx.db, problem());
    await openTask(ctx.db, { ...problem(), dedupeKey: 'x', related: 'job:5', departmentId: null });
    expect((await listTasks(ctx.db, { departmentId: 2 })).map((t) => t.related)).toEqual(['service:12']);
    expect((await listTasks(ctx.db, { related: 'job:5' })).map((t) => t.departmentId)).toEqual([null]);
    expect((await listTasks(ctx.db)).map((t) => t.related)).toEqual(['job:5', 'service:12']);
  });

  it('reads one task, pages newest first, and counts tasks per department', async () => {
    const a = await openTask(ctx.db, problem());
    const b = await openTask(ctx.db, { ...problem(), dedupeKey: 'b', departmentId: null });
    const c = await openTask(ctx.db, { ...problem(), dedupeKey: 'c' });
    expect(await getTask(ctx.db, b.id)).toEqual(b);
    await expect(getTask(ctx.db, 404)).rejects.toThrow('No task has id 404');
    expect((await listTasks(ctx.db, { beforeId: c.id, limit: 1 })).map((t) => t.id)).toEqual([b.id]);
    expect((await listTasks(ctx.db, { departmentId: null })).map((t) => t.id)).toEqual([b.id]);
    expect((await countTasksByDepartment(ctx.db, 'open')).sort((x, y) => y.count - x.count)).toEqual([
      { departmentId: 2, count: 2 },
      { departmentId: null, count: 1 },
    ]);
    await closeTask(ctx.db, a.id, { now: ctx.clock.now() });
    expect(await countTasksByDepartment(ctx.db, 'closed')).toEqual([{ departmentId: 2, count: 1 }]);
  });

  it('opens the task inside the caller transaction', async () => {
    await expect(
      ctx.db.kysely.transaction().execute(async (trx) => {
        await openTask(ctx.db, problem(), trx);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await listTasks(ctx.db)).toEqual([]);
  });

  it('refuses to close a task that does not exist', async () => {
    await expect(closeTask(ctx.db, 404, { now: ctx.clock.now() })).rejects.toThrow('No task has id 404');
  });
});
