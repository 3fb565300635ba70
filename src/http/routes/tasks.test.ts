import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { addClient } from '../../billing/add-client.ts';
import { createApiToken } from '../../billing/api-token-repository.ts';
import { openTask } from '../../jobs/open-task.ts';
import { buildApp, type App } from '../build-app.ts';
import { taskRoutes } from './tasks.ts';

describe.each(testDialects())('the tasks API on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: string;
  let clientToken: string;
  let taskIds: number[];

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildApp(ctx, [taskRoutes]);
    admin = (await createApiToken(ctx, { scope: { kind: 'admin' } })).token;
    const client = await addClient(ctx, { name: 'Client', email: 'client@example.com' });
    clientToken = (await createApiToken(ctx, { scope: { kind: 'client', clientId: client.id } })).token;
    taskIds = [];
    for (const n of [1, 2, 3]) {
      const task = await openTask(ctx.db, {
        kind: 'service-failed',
        title: `Service ${n} failed`,
        body: `The CA refused order ${n}.`,
        related: `service:${n}`,
        dedupeKey: `service-failed:${n}`,
        now: ctx.clock.now(),
      });
      taskIds.push(task.id);
    }
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  const call = (method: 'GET' | 'POST', url: string, token: string | null) =>
    app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('answers only admin tokens', async () => {
    expect((await call('GET', '/api/admin/tasks', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/admin/tasks', clientToken)).statusCode).toBe(403);
    expect((await call('POST', `/api/admin/tasks/${taskIds[0]}/close`, clientToken)).statusCode).toBe(403);
  });

  it('lists open tasks newest first and pages with beforeId', async () => {
    const first = await call('GET', '/api/admin/tasks?state=open&limit=2', admin);
    expect(first.statusCode).toBe(200);
    const ids = (first.json() as { tasks: { id: number }[] }).tasks.map((t) => t.id);
    expect(ids).toEqual([taskIds[2], taskIds[1]]);
    const next = await call('GET', `/api/admin/tasks?state=open&limit=2&beforeId=${ids[1]}`, admin);
    expect((next.json() as { tasks: { id: number }[] }).tasks.map((t) => t.id)).toEqual([taskIds[0]]);
  });

  it('closes a task once; it then shows as closed and no longer among the open ones', async () => {
    const closed = await call('POST', `/api/admin/tasks/${taskIds[1]}/close`, admin);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ id: taskIds[1], state: 'closed', closedAt: expect.any(String) });
    const shown = await call('GET', `/api/admin/tasks/${taskIds[1]}`, admin);
    expect(shown.json()).toMatchObject({ state: 'closed', body: 'The CA refused order 2.' });
    const open = await call('GET', '/api/admin/tasks?state=open', admin);
    expect((open.json() as { tasks: { id: number }[] }).tasks.map((t) => t.id)).not.toContain(taskIds[1]);
  });

  it('answers 404 for an unknown task and 400 for an id that is not a number', async () => {
    expect((await call('POST', '/api/admin/tasks/999999/close', admin)).statusCode).toBe(404);
    expect((await call('GET', '/api/admin/tasks/abc', admin)).statusCode).toBe(400);
  });
});
