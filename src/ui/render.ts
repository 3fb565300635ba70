import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { Liquid } from 'liquidjs';
import { formatMoney, type Money } from '../core/money.ts';
import type { AppContext } from '../app-context.ts';
import { setSessionFlash, type Flash } from './access/session-store.ts';
import { navigationHtml } from './navigation.ts';

export const VIEWS_DIR = path.join(import.meta.dirname, 'views');

export interface PanelViewOptions {
  /** Fail on an undefined variable or filter (tests). */
  readonly strict: boolean;
  /** Parse each template once (production); off, edits show on reload. */
  readonly cache: boolean;
}

/** Tests get strict variables, production a template cache; `CERTBILL_PANEL_DEV=1` turns the cache off. */
export function defaultViewOptions(): PanelViewOptions {
  const testing = Boolean(process.env.VITEST);
  return { strict: testing, cache: !testing && process.env.CERTBILL_PANEL_DEV !== '1' };
}

/**
 * The panel's Liquid engine over `src/ui/views`, escaping every `{{ }}` output (use `| raw` only for
 * HTML the code built itself). Filters: `money` ({amountMinor,currency} → `500.00 USD`), `instant`
 * (ISO → `2026-04-02 12:00 UTC`), `day` (ISO → `2026-04-02`), `label` (`in_progress` → `in progress`).
 */
export function createPanelViews(options: PanelViewOptions): Liquid {
  const engine = new Liquid({
    root: VIEWS_DIR,
    partials: VIEWS_DIR,
    layouts: VIEWS_DIR,
    extname: '.liquid',
    outputEscape: 'escape',
    strictVariables: options.strict,
    strictFilters: true,
    cache: options.cache,
    relativeReference: false,
  });
  engine.registerFilter('money', (m: Money | null | undefined) =>
    m ? `${formatMoney(m)} ${m.currency}` : '—',
  );
  engine.registerFilter('instant', (iso: string | null | undefined) =>
    iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—',
  );
  engine.registerFilter('day', (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—'));
  engine.registerFilter('label', (s: string | null | undefined) => (s ? s.replace(/_/g, ' ') : ''));
  return engine;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The panel's Liquid engine (set by the panel's route plugin). */
    panelViews: Liquid;
    /** The context the panel was registered with. */
    panelContext: AppContext;
  }
}

export interface RenderOptions {
  /** HTTP status; 200 by default. */
  readonly status?: number;
  /** The page title (before " — certbill"); default: none. */
  readonly title?: string;
}

/**
 * Renders `src/ui/views/<view>.liquid` inside the layout and sends it as HTML. Besides `data` the
 * view sees: `user` (the principal or null), `navHtml` (the role's menu with the active entry),
 * `csrf` (the session's token for the `_csrf` field; use `{% include 'partials/csrf' %}`), `flash`
 * ({kind,text} or null; shown once), `title`, `path` and `assetVersion`.
 * @example return render(reply, 'admin/dashboard', { balances }, { title: 'Dashboard' });
 */
export async function render(
  reply: FastifyReply,
  view: string,
  data: Record<string, unknown> = {},
  options: RenderOptions = {},
): Promise<FastifyReply> {
  const req = reply.request;
  const ctx = reply.server.panelContext;
  const session = req.panelSession;
  const flash: Flash | null = session?.flash ?? null;
  if (session && flash) await setSessionFlash(ctx, session.id, null);
  const path = req.url.split('?')[0] ?? '/';
  // Synchronous rendering: the views use no async tag or filter, and the async renderer drives its
  // generators through a promise per step, which cost more than the rest of the page (profiled).
  const html = reply.server.panelViews.renderFileSync(view, {
    user: req.panelPrincipal,
    navHtml: navigationHtml(req.panelPrincipal, path),
    csrf: session?.csrfToken ?? null,
    flash,
    title: options.title ?? null,
    path,
    assetVersion: ctx.version,
    ...data,
  });
  return reply
    .status(options.status ?? 200)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(html);
}

/**
 * Keeps a message for the next page the user sees (after a redirect), e.g. "Tariff saved".
 * @example await setFlash(reply, 'success', 'Tariff plan saved.'); return reply.redirect('/admin/tariffs', 303);
 */
export async function setFlash(reply: FastifyReply, kind: Flash['kind'], text: string): Promise<void> {
  const session = reply.request.panelSession;
  if (session) await setSessionFlash(reply.server.panelContext, session.id, { kind, text });
}
