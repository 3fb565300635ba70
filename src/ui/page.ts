import type { AppContext } from '../app-context.ts';
import type { App } from '../http/build-app.ts';

/**
 * One panel page (or a few that belong together): registers its routes on the scope it is given.
 * Admin pages get the `/admin` scope (staff only, paths relative to `/admin`), client pages the
 * `/client` scope (client users only). Add the function to ADMIN_PAGES or CLIENT_PAGES in
 * `src/ui/ui-routes.ts`.
 * @example
 *   export const tariffPages: PanelPage = (scope, ctx) => {
 *     scope.get('/tariffs', async (req, reply) =>
 *       render(reply, 'admin/tariffs', { tariffs: await listTariffs(ctx.db.kysely) }, { title: 'Tariff plans' }));
 *   };
 */
export type PanelPage = (scope: App, ctx: AppContext) => void;
