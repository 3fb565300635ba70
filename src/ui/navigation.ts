import type { PanelPrincipal } from './access/principal.ts';
import { escapeHtml } from './escape-html.ts';

/** One menu entry: a page, or a heading with pages under it (Integration → Processing modules). */
export interface NavEntry {
  readonly label: string;
  readonly href?: string;
  readonly children?: readonly NavEntry[];
}

/** The admin menu, in the platform's words. Pages not built yet answer 404. */
export const ADMIN_NAV: readonly NavEntry[] = [
  { label: 'Dashboard', href: '/admin' },
  { label: 'Integration', children: [{ label: 'Processing modules', href: '/admin/modules' }] },
  {
    label: 'Products',
    children: [
      { label: 'Tariff plans', href: '/admin/tariffs' },
      { label: 'Product types', href: '/admin/product-types' },
    ],
  },
  { label: 'Clients', href: '/admin/clients' },
  { label: 'Services', href: '/admin/services' },
  { label: 'Tasks', href: '/admin/tasks' },
  { label: 'Settings', children: [{ label: 'Message templates', href: '/admin/message-templates' }] },
  { label: 'Logs', href: '/admin/logs' },
];

/** The client area menu. */
export const CLIENT_NAV: readonly NavEntry[] = [
  { label: 'Home', href: '/client' },
  { label: 'Order a certificate', href: '/client/order' },
  { label: 'My services', href: '/client/services' },
  { label: 'Balance', href: '/client/balance' },
];

export interface NavItem {
  readonly label: string;
  readonly href: string | null;
  readonly active: boolean;
  readonly children: readonly NavItem[];
}

/**
 * The menu of a user with the entry of `path` marked active: the longest href that is `path` or a
 * folder of it (`/admin/services/12` marks Services); Dashboard and Home only on their own page.
 */
export function navigationFor(principal: PanelPrincipal | null, path: string): NavItem[] {
  if (!principal) return [];
  const entries = principal.kind === 'staff' ? ADMIN_NAV : CLIENT_NAV;
  return navigationWith(entries, activeHref(entries, path));
}

/** The href of the entry `path` belongs to (see `navigationFor`), or undefined. */
function activeHref(entries: readonly NavEntry[], path: string): string | undefined {
  // The home entry (Dashboard, Home) is active on the home page only.
  const home = entries[0]?.href;
  const hrefs = entries.flatMap((e) => [e.href, ...(e.children ?? []).map((c) => c.href)]).filter(Boolean);
  return hrefs
    .filter((h) => path === h || (h !== home && path.startsWith(`${h}/`)))
    .sort((a, b) => b!.length - a!.length)[0];
}

function navigationWith(entries: readonly NavEntry[], best: string | undefined): NavItem[] {
  const item = (e: NavEntry): NavItem => {
    const children = (e.children ?? []).map(item);
    return {
      label: e.label,
      href: e.href ?? null,
      active: (best !== undefined && e.href === best) || children.some((c) => c.active),
      children,
    };
  };
  return entries.map(item);
}

const navHtmlCache = new Map<string, string>();

/**
 * The main menu as HTML (`partials/nav` prints it with `| raw`): built in code from the fixed menus,
 * every label and href escaped, and kept per role and active entry, since rendered by Liquid the
 * menu's loops cost about half a millisecond on every page (profiled).
 */
export function navigationHtml(principal: PanelPrincipal | null, path: string): string {
  if (!principal) return '';
  const entries = principal.kind === 'staff' ? ADMIN_NAV : CLIENT_NAV;
  const best = activeHref(entries, path);
  const key = `${principal.kind} ${best ?? ''}`;
  let html = navHtmlCache.get(key);
  if (html === undefined) {
    html = `<nav class="menu" aria-label="Main menu">\n${listHtml(navigationFor(principal, path))}\n</nav>`;
    navHtmlCache.set(key, html);
  }
  return html;
}

function listHtml(items: readonly NavItem[]): string {
  return `<ul>${items
    .map((e) => {
      const link = e.href
        ? `<a href="${escapeHtml(e.href)}"${e.active ? ' aria-current="page"' : ''}>${escapeHtml(e.label)}</a>`
        : `<span class="heading">${escapeHtml(e.label)}</span>`;
      const children = e.children.length > 0 ? listHtml(e.children) : '';
      return `\n  <li class="${e.active ? 'active' : ''}">${link}${children}</li>`;
    })
    .join('')}\n</ul>`;
}
