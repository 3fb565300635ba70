import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import type { AppContext } from '../../app-context.ts';
import { closeTask, getTask, listTasks, TASK_STATES, type TaskState } from '../../jobs/open-task.ts';
import { authenticate, requireAdmin } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';
import { ErrorBody, List, Nullable } from './billing/schemas.ts';

const TaskBody = Type.Object(
  {
    id: Type.Integer(),
    departmentId: Nullable(Type.Integer()),
    kind: Type.String({ examples: ['job-dead', 'service-failed', 'module-low-balance'] }),
    title: Type.String(),
    body: Type.String({ description: 'What happened and what to do; may end with a log excerpt' }),
    related: Nullable(Type.String({ examples: ['service:12', 'job:5'] })),
    dedupeKey: Type.String(),
    state: Type.String({ description: 'open or closed' }),
    createdAt: Type.String({ format: 'date-time' }),
    closedAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { description: 'Work for people, assigned to a Department.' },
);

const TaskParams = Type.Object({ taskId: Type.Integer({ minimum: 1 }) });

/**
 * Tasks for the Departments (the panel's Tasks page uses the same use cases):
 * `GET /api/admin/tasks`, `GET /api/admin/tasks/:taskId`, `POST /api/admin/tasks/:taskId/close`.
 * Every route needs an admin token.
 * @example const app = await buildApp(ctx, [taskRoutes]);
 */
export const taskRoutes: RoutePlugin = async (app: App, ctx: AppContext) => {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>() as App;
    api.addHook('onRequest', authenticate(ctx));
    api.addHook('preHandler', async (req) => requireAdmin(req));

    api.get(
      '/api/admin/tasks',
      {
        schema: {
          tags: ['tasks'],
          summary: 'List tasks, newest first, by state and Department (admin)',
          querystring: Type.Object({
            state: Type.Optional(Type.Union(TASK_STATES.map((s) => Type.Literal(s)))),
            departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
            beforeId: Type.Optional(
              Type.Integer({ minimum: 1, description: 'the next page: tasks older than this id' }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          }),
          response: { 200: Type.Object({ tasks: List(TaskBody) }), 400: ErrorBody },
        },
      },
      async (req) => {
        const q = req.query as {
          state?: TaskState;
          departmentId?: number;
          beforeId?: number;
          limit?: number;
        };
        return {
          tasks: await listTasks(ctx.db, {
            limit: q.limit ?? 50,
            ...(q.state === undefined ? {} : { state: q.state }),
            ...(q.departmentId === undefined ? {} : { departmentId: q.departmentId }),
            ...(q.beforeId === undefined ? {} : { beforeId: q.beforeId }),
          }),
        };
      },
    );

    api.get(
      '/api/admin/tasks/:taskId',
      {
        schema: {
          tags: ['tasks'],
          summary: 'Show one task with its whole body (admin)',
          params: TaskParams,
          response: { 200: TaskBody, 404: ErrorBody },
        },
      },
      async (req) => getTask(ctx.db, (req.params as Static<typeof TaskParams>).taskId),
    );

    api.post(
      '/api/admin/tasks/:taskId/close',
      {
        schema: {
          tags: ['tasks'],
          summary: 'Close a task; closing a closed task changes nothing (admin)',
          params: TaskParams,
          response: { 200: TaskBody, 404: ErrorBody },
        },
      },
      async (req) =>
        closeTask(ctx.db, (req.params as Static<typeof TaskParams>).taskId, { now: ctx.clock.now() }),
    );
  });
};
