import { Type } from '@sinclair/typebox';
import { pingDatabase } from '../../db/database.ts';
import type { RoutePlugin } from '../build-app.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  version: Type.String(),
  time: Type.String({ format: 'date-time' }),
  database: Type.Object({ dialect: Type.String(), ok: Type.Boolean() }),
});

export const healthRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database reachability',
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const ok = await pingDatabase(ctx.db);
      const body = {
        status: ok ? ('ok' as const) : ('degraded' as const),
        version: ctx.version,
        time: ctx.clock.now().toISOString(),
        database: { dialect: ctx.db.dialect, ok },
      };
      return reply.status(ok ? 200 : 503).send(body);
    },
  );
};
