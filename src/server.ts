import type { AppContext } from './app-context.ts';
import { buildApp, type App, type RoutePlugin } from './http/build-app.ts';

export interface RunningServer {
  readonly url: string;
  readonly app: App;
  close(): Promise<void>;
}

/** Builds the HTTP application with its routes and listens on host:port. */
export async function startServer(
  ctx: AppContext,
  routes: RoutePlugin[],
  listen: { host: string; port: number },
): Promise<RunningServer> {
  const app = await buildApp(ctx, routes);
  await app.listen({ host: listen.host, port: listen.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return { url: `http://${host}:${port}`, app, close: () => app.close() };
}
