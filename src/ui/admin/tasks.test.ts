import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createClientLogin,
  createStaffLogin,
  getPage,
  loginAs,
  postForm,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { addDepartment } from '../../billing/add-department.ts';
import type { App } from '../../http/build-app.ts';
import { getTask, openTask, type Task } from '../../jobs/open-task.ts';
import { TASKS_PAGE_SIZE, taskPages } from './tasks.ts';

describe.each(testDialects())('Tasks on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  let client: PanelLogin;
  let ssl: number;
  let billing: number;
  let failed: Task;

  beforeAll(async () => {
    ctx = await createTestContext(dialect);
    app = await buildPanelApp(ctx, { adminPages: [taskPages] });
    admin = await loginAs(app, await createStaffLogin(ctx));
    client = await loginAs(app, await createClientLogin(ctx));
    ssl = (await addDepartment(ctx, { name: 'SSL desk' })).id;
    billing = (await addDepartment(ctx, { name: 'Billing' })).id;
    const open = (key: string, departmentId: number | null, title: string, body = '') =>
      openTask(ctx.db, {
        kind: 'order-failed',
        title,
        body,
        dedupeKey: key,
        departmentId,
        now: ctx.clock.now(),
      });
    failed = await open(
      'order-failed:service:7',
      ssl,
      'Order for <example.com> failed',
      'The CA refused the order.\n2026-04-02T12:00:00.000Z [42] soap ERROR DVOrder -4001\n  indented line',
    );
    await open('balance:1', billing, 'Balance below the minimum');
    await open('mail:3', null, 'Mail 3 could not be delivered');
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('lists the open tasks with a count per department and filters by department', async () => {
    const all = await getPage(app, '/admin/tasks', admin);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Order for &lt;example.com&gt; failed');
    expect(all.body).toContain('Balance below the minimum');
    expect(all.body).toContain('All departments (3)');
    expect(all.body).toContain('SSL desk (1)');
    expect(all.body).toContain('No department (1)');
    expect(all.body).toContain('<label for="tasks-department">Department</label>');

    const desk = await getPage(app, `/admin/tasks?department=${ssl}`, admin);
    expect(desk.body).toContain('Order for &lt;example.com&gt; failed');
    expect(desk.body).not.toContain('Balance below the minimum');
    expect(desk.body).not.toContain('Mail 3 could not be delivered');
    const none = await getPage(app, '/admin/tasks?department=none', admin);
    expect(none.body).toContain('Mail 3 could not be delivered');
    expect(none.body).not.toContain('Balance below the minimum');
    expect((await getPage(app, `/admin/tasks?department=${billing}`, admin)).body).toContain(
      'Balance below the minimum',
    );
  });

  it('shows a task with its body preformatted, closes it, and then lists it on the Closed tab', async () => {
    const page = await getPage(app, `/admin/tasks/${failed.id}`, admin);
    expect(page.body).toContain(
      '<pre class="task-body">The CA refused the order.\n2026-04-02T12:00:00.000Z [42] soap ERROR DVOrder -4001\n  indented line</pre>',
    );
    expect(page.body).toContain('Close task</button>');

    ctx.clock.advanceMs(3_600_000);
    const closed = await postForm(app, `/admin/tasks/${failed.id}/close`, {}, admin);
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe(`/admin/tasks/${failed.id}`);
    expect(await getTask(ctx.db, failed.id)).toMatchObject({
      state: 'closed',
      closedAt: '2026-04-02T13:00:00.000Z',
    });
    const after = await getPage(app, `/admin/tasks/${failed.id}`, admin);
    expect(after.body).toContain(`Task ${failed.id} closed.`);
    expect(after.body).not.toContain('Close task</button>');

    expect((await getPage(app, '/admin/tasks', admin)).body).not.toContain(
      'Order for &lt;example.com&gt; failed',
    );
    const tab = await getPage(app, '/admin/tasks?state=closed', admin);
    expect(tab.body).toContain('Order for &lt;example.com&gt; failed');
    expect(tab.body).toContain('2026-04-02 13:00 UTC');
  });

  it('pages the list newest first', async () => {
    for (let i = 0; i < TASKS_PAGE_SIZE + 2; i++) {
      await openTask(ctx.db, {
        kind: 'bulk',
        title: `Bulk task ${i}`,
        body: '',
        dedupeKey: `bulk:${i}`,
        departmentId: billing,
        now: ctx.clock.now(),
      });
    }
    const first = await getPage(app, `/admin/tasks?department=${billing}`, admin);
    expect(first.body).toContain(`Bulk task ${TASKS_PAGE_SIZE + 1}<`);
    expect(first.body).not.toContain('Bulk task 1<');
    const next = /<a href="([^"]+)">Older tasks<\/a>/.exec(first.body)![1]!.replace(/&amp;/g, '&');
    const second = await getPage(app, next, admin);
    expect(second.body).toContain('Bulk task 1<');
    expect(second.body).toContain('Bulk task 0<');
    expect(second.body).toContain('Balance below the minimum');
    expect(second.body).not.toContain('Older tasks');
  });

  it('answers 404 for a task that does not exist', async () => {
    expect((await getPage(app, '/admin/tasks/999999', admin)).statusCode).toBe(404);
    expect((await postForm(app, '/admin/tasks/999999/close', {}, admin)).statusCode).toBe(404);
  });

  it('refuses the pages to a client user and the close form without the CSRF token', async () => {
    const task = await openTask(ctx.db, {
      kind: 'x',
      title: 'Guarded',
      body: '',
      dedupeKey: 'guarded',
      now: ctx.clock.now(),
    });
    for (const url of ['/admin/tasks', '/admin/tasks?state=closed', `/admin/tasks/${task.id}`]) {
      expect((await getPage(app, url, client)).statusCode, url).toBe(403);
    }
    expect((await postForm(app, `/admin/tasks/${task.id}/close`, {}, client)).statusCode).toBe(403);
    expect((await postForm(app, `/admin/tasks/${task.id}/close`, { _csrf: null }, admin)).statusCode).toBe(
      403,
    );
    expect((await getTask(ctx.db, task.id)).state).toBe('open');
  });
});
