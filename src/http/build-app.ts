import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AppContext } from '../app-context.ts';
import { installErrorHandling } from './error-handler.ts';
import { healthRoutes } from './routes/health.ts';

export type App = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A route plugin: registers its routes on the app with the context it needs. */
export type RoutePlugin = (app: App, ctx: AppContext) => void | Promise<void>;

/**
 * Builds the HTTP application without listening, so tests drive it with `app.inject()`.
 * The OpenAPI document is generated from the route schemas Fastify enforces.
 *
 * @example
 *   const app = await buildApp(ctx);
 *   const res = await app.inject({ method: 'GET', url: '/healthz' });
 */
export async function buildApp(ctx: AppContext, plugins: RoutePlugin[] = []): Promise<App> {
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installErrorHandling(app, ctx);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'certbill API',
        version: ctx.version,
        description: 'Billing and lifecycle of GlobalSign SSL certificates. Amounts are integer minor units.',
      },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API token (`certbill token create`).',
          },
        },
      },
      security: [{ bearerAuth: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  await healthRoutes(app, ctx);
  for (const plugin of plugins) await plugin(app, ctx);
  await app.ready();
  return app;
}
