import { listDepartments } from '../../billing/staff-repository.ts';
import {
  closeTask,
  countTasksByDepartment,
  getTask,
  listTasks,
  type Task,
  type TaskState,
} from '../../jobs/open-task.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { idParam } from './panel-form.ts';

/** Tasks per page. */
export const TASKS_PAGE_SIZE = 50;

interface TasksQuery {
  readonly state?: string;
  readonly department?: string;
  readonly before?: string;
}

/** `department` of the query: a Department's id, `none` (tasks of no Department) or absent (all). */
function departmentFilter(value: string | undefined): number | null | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'none') return null;
  return idParam(value, 'This department');
}

/**
 * Tasks (`/admin/tasks`): the open tasks by Department (a filter with each Department's count),
 * the closed ones on their own tab, newest first and paged by id; a task's page with its body
 * (log excerpts kept as written) and "Close task".
 */
export const taskPages: PanelPage = (scope, ctx) => {
  scope.get<{ Querystring: TasksQuery }>('/tasks', async (req, reply) => {
    const state: TaskState = req.query.state === 'closed' ? 'closed' : 'open';
    const departmentId = departmentFilter(req.query.department);
    const before = req.query.before ? idParam(req.query.before, 'This page') : undefined;
    const [departments, counts, page] = await Promise.all([
      listDepartments(ctx.db.kysely),
      countTasksByDepartment(ctx.db, state),
      listTasks(ctx.db, {
        state,
        ...(departmentId === undefined ? {} : { departmentId }),
        ...(before === undefined ? {} : { beforeId: before }),
        limit: TASKS_PAGE_SIZE + 1,
      }),
    ]);
    const names = new Map(departments.map((d) => [d.id, d.name]));
    const tasks = page.slice(0, TASKS_PAGE_SIZE).map((t) => withDepartment(t, names));
    const filterOf = (id: number | null) => (id === null ? 'none' : String(id));
    const groups = counts
      .map((c) => ({
        value: filterOf(c.departmentId),
        name:
          c.departmentId === null
            ? 'No department'
            : (names.get(c.departmentId) ?? `Department ${c.departmentId}`),
        count: c.count,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const department = departmentId === undefined ? '' : filterOf(departmentId);
    const query = (extra: Record<string, string>) =>
      new URLSearchParams({ state, ...(department ? { department } : {}), ...extra }).toString();
    return render(
      reply,
      'admin/tasks',
      {
        state,
        department,
        groups,
        total: counts.reduce((n, c) => n + c.count, 0),
        tasks,
        nextPage:
          page.length > TASKS_PAGE_SIZE
            ? `/admin/tasks?${query({ before: String(tasks.at(-1)!.id) })}`
            : null,
        firstPage: before === undefined ? null : `/admin/tasks?${query({})}`,
      },
      { title: state === 'open' ? 'Tasks' : 'Closed tasks' },
    );
  });

  scope.get<{ Params: { id: string } }>('/tasks/:id', async (req, reply) => {
    const task = await getTask(ctx.db, idParam(req.params.id, 'This task'));
    const names = new Map((await listDepartments(ctx.db.kysely)).map((d) => [d.id, d.name]));
    return render(reply, 'admin/task', { task: withDepartment(task, names) }, { title: task.title });
  });

  scope.post<{ Params: { id: string } }>('/tasks/:id/close', async (req, reply) => {
    const task = await closeTask(ctx.db, idParam(req.params.id, 'This task'), { now: ctx.clock.now() });
    await setFlash(reply, 'success', `Task ${task.id} closed.`);
    return reply.redirect(`/admin/tasks/${task.id}`, 303);
  });
};

function withDepartment(task: Task, names: ReadonlyMap<number, string>) {
  return {
    ...task,
    department:
      task.departmentId === null ? null : (names.get(task.departmentId) ?? `Department ${task.departmentId}`),
  };
}
