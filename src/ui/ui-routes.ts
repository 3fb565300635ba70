import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { httpStatusOf, isAppError } from '../core/errors/index.ts';
import type { App, RoutePlugin } from '../http/build-app.ts';
import { checkCsrf } from './access/csrf.ts';
import { loadPanelPrincipal, requireClientUser, requireStaff } from './access/principal.ts';
import { dashboardPage } from './admin/dashboard.ts';
import { logPages } from './admin/logs.ts';
import { messageTemplatePages } from './admin/message-templates.ts';
import { modulePages } from './admin/modules.ts';
import { taskPages } from './admin/tasks.ts';
import { clientPages } from './admin/clients.ts';
import { productTypePages } from './admin/product-types.ts';
import { servicePages } from './admin/services.ts';
import { tariffPages } from './admin/tariffs.ts';
import { clientHomePage } from './client/home.ts';
import { clientOrderPages } from './client/order.ts';
import { clientServicePages } from './client/services.ts';
import { clientBalancePage } from './client/balance.ts';
import { loginPages } from './login-page.ts';
import type { PanelPage } from './page.ts';
import { createPanelViews, defaultViewOptions, render, type PanelViewOptions } from './render.ts';

/** Staff pages, registered under `/admin` behind `requireStaff`. Add new ones here. */
export const ADMIN_PAGES: readonly PanelPage[] = [
  dashboardPage,
  tariffPages,
  productTypePages,
  clientPages,
  servicePages,
  modulePages,
  taskPages,
  logPages,
  messageTemplatePages,
];

/** Client area pages, registered under `/client` behind `requireClientUser`. Add new ones here. */
export const CLIENT_PAGES: readonly PanelPage[] = [
  clientHomePage,
  clientOrderPages,
  clientServicePages,
  clientBalancePage,
];

export interface PanelRoutesOptions extends PanelViewOptions {
  /** Replaces ADMIN_PAGES (tests mount a page of their own). */
  readonly adminPages?: readonly PanelPage[];
  readonly clientPages?: readonly PanelPage[];
}

export const ASSETS_DIR = path.join(import.meta.dirname, 'assets');

/**
 * The web panel: `/login`, `/logout`, `/`, the staff pages under `/admin`, the client area under
 * `/client` and the assets under `/assets/`. Cookies and form bodies are parsed only inside this
 * scope, so the JSON API is unaffected; every non-GET route checks the CSRF token.
 * @example const app = await buildApp(ctx, [createUiRoutes({ strict: true, cache: false })]);
 */
export function createUiRoutes(options: PanelRoutesOptions = defaultViewOptions()): RoutePlugin {
  const adminPages = options.adminPages ?? ADMIN_PAGES;
  const clientPages = options.clientPages ?? CLIENT_PAGES;
  return async (app, ctx) => {
    await app.register(async (assets) => {
      await assets.register(fastifyStatic, {
        root: ASSETS_DIR,
        prefix: '/assets/',
        cacheControl: true,
        maxAge: '1h',
        etag: true,
        lastModified: true,
      });
    });
    await app.register(async (scope) => {
      const panel = scope as unknown as App;
      await panel.register(fastifyCookie);
      await panel.register(fastifyFormbody, { bodyLimit: 1_048_576 });
      panel.decorate('panelViews', createPanelViews(options));
      panel.decorate('panelContext', ctx);
      panel.decorateRequest('panelPrincipal', null);
      panel.decorateRequest('panelSession', null);
      panel.addHook('onRequest', loadPanelPrincipal(ctx));
      panel.addHook('preHandler', checkCsrf);
      panel.setErrorHandler(panelErrorHandler(ctx));
      loginPages(panel, ctx);
      await panel.register(
        async (admin) => {
          admin.addHook('onRequest', requireStaff);
          admin.setNotFoundHandler(notFoundPage);
          for (const page of adminPages) page(admin as unknown as App, ctx);
        },
        { prefix: '/admin' },
      );
      await panel.register(
        async (client) => {
          client.addHook('onRequest', requireClientUser);
          client.setNotFoundHandler(notFoundPage);
          for (const page of clientPages) page(client as unknown as App, ctx);
        },
        { prefix: '/client' },
      );
    });
  };
}

/** The panel with the default view options (strict in tests, cached in production). */
export const uiRoutes: RoutePlugin = (app, ctx) => createUiRoutes()(app, ctx);

function notFoundPage(_req: FastifyRequest, reply: FastifyReply) {
  return render(
    reply,
    'error',
    { status: 404, heading: 'Not found', message: 'This page does not exist.' },
    { status: 404, title: 'Not found' },
  );
}

/** Errors of panel routes as HTML pages; the message of an AppError says what to do. */
function panelErrorHandler(ctx: AppContext) {
  return async (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let message = 'Something went wrong; the log holds the details.';
    if (isAppError(err)) {
      status = httpStatusOf(err.kind);
      message = err.message;
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      status = (err as FastifyError).statusCode!;
      message = err.message;
    } else {
      ctx.log.write('error', 'http', `${req.method} ${req.url} failed: ${err.stack ?? err.message}`);
    }
    const heading =
      status === 403
        ? 'Not allowed'
        : status === 404
          ? 'Not found'
          : status < 500
            ? 'Cannot do that'
            : 'Something went wrong';
    return render(reply, 'error', { status, heading, message }, { status, title: heading });
  };
}
