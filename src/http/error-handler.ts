import type { FastifyError } from 'fastify';
import type { AppError } from '../core/errors/index.ts';
import { httpStatusOf, isAppError } from '../core/errors/index.ts';
import type { AppContext } from '../app-context.ts';
import type { App } from './build-app.ts';

/** The error body every route answers with: `{"error":{"code","message","details"?}}`. */
export function installErrorHandling(app: App, ctx: AppContext): void {
  app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
    if (isAppError(err)) {
      return reply.status(httpStatusOf(err.kind)).send({ error: err.toJSON() });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const message = `Invalid request: ${fe.message}.`;
      return reply
        .status(400)
        .send({ error: { code: 'CORE_VALIDATION', message, details: { issues: fe.validation } } });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(fe.statusCode).send({ error: { code: 'CORE_VALIDATION', message: fe.message } });
    }
    ctx.log.write('error', 'http', `${req.method} ${req.url} failed: ${err.stack ?? err.message}`);
    return reply
      .status(500)
      .send({ error: { code: 'CORE_INTERNAL', message: 'Internal error; the log holds the details.' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({
      error: { code: 'CORE_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}.` },
    }),
  );
}
