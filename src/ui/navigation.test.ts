import { describe, expect, it } from 'vitest';
import type { PanelPrincipal } from './access/principal.ts';
import { navigationFor, navigationHtml } from './navigation.ts';

const staff: PanelPrincipal = {
  kind: 'staff',
  staffId: 1,
  role: 'admin',
  departmentId: null,
  name: 'Ops',
  email: 'ops@example.com',
};
const client: PanelPrincipal = {
  kind: 'client',
  clientUserId: 2,
  clientId: 3,
  name: 'Ann',
  email: 'ann@example.com',
};

function active(principal: PanelPrincipal, path: string): string[] {
  return navigationFor(principal, path)
    .flatMap((e) => [e, ...e.children])
    .filter((e) => e.active)
    .map((e) => e.label);
}

describe('navigationFor', () => {
  it('gives staff every admin menu entry in the platform words, with headings over their pages', () => {
    const nav = navigationFor(staff, '/admin');
    expect(nav.map((e) => e.label)).toEqual([
      'Dashboard',
      'Integration',
      'Products',
      'Clients',
      'Services',
      'Tasks',
      'Settings',
      'Logs',
    ]);
    expect(nav.find((e) => e.label === 'Products')!.children.map((c) => c.label)).toEqual([
      'Tariff plans',
      'Product types',
    ]);
    expect(nav.find((e) => e.label === 'Integration')!.children.map((c) => c.href)).toEqual([
      '/admin/modules',
    ]);
  });

  it('marks the page and its heading, and Dashboard only on the Dashboard itself', () => {
    expect(active(staff, '/admin')).toEqual(['Dashboard']);
    expect(active(staff, '/admin/services/12')).toEqual(['Services']);
    expect(active(staff, '/admin/tariffs/4/config')).toEqual(['Products', 'Tariff plans']);
    expect(active(staff, '/admin/unknown')).toEqual([]);
    expect(active(client, '/client/services/9')).toEqual(['My services']);
  });

  it('gives a client the client area menu and nobody signed in no menu', () => {
    expect(navigationFor(client, '/client').map((e) => e.label)).toEqual([
      'Home',
      'Order a certificate',
      'My services',
      'Balance',
    ]);
    expect(navigationFor(null, '/login')).toEqual([]);
  });

  it('prints the same menu as HTML, with the active page marked and headings over their pages', () => {
    const html = navigationHtml(staff, '/admin/services/12');
    expect(html).toContain(
      '<li class="active"><a href="/admin/services" aria-current="page">Services</a></li>',
    );
    expect(html).toContain(
      '<span class="heading">Integration</span><ul>\n  <li class=""><a href="/admin/modules">Processing modules</a></li>',
    );
    expect(html.match(/aria-current/g)).toHaveLength(1);
    expect(navigationHtml(client, '/client')).toContain('<a href="/client" aria-current="page">Home</a>');
    expect(navigationHtml(staff, '/admin/unknown')).not.toContain('aria-current');
    expect(navigationHtml(null, '/login')).toBe('');
  });
});
