import { formatMoney, type Money } from '../../core/money.ts';
import type { CertificateLine, ModuleBalance, OpenTaskLine, ServiceCounts } from './dashboard-data.ts';
import { escapeHtml } from '../escape-html.ts';

/** The view filters `money` and `instant`, for rows built in code. */
const money = (m: Money | null) => (m ? `${formatMoney(m)} ${m.currency}` : '—');
const instant = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

export interface DashboardHtml {
  readonly balances: string;
  readonly states: string;
  readonly tasks: string;
  readonly reissues: string;
  readonly validations: string;
}

/**
 * The Dashboard's table rows and list items, built in code with every value escaped (the view
 * prints them with `| raw`): its forty-odd rows rendered by Liquid took about a millisecond and a
 * half of every Dashboard request under load (profiled), built here a few hundredths.
 */
export function dashboardHtml(blocks: {
  balances: readonly ModuleBalance[];
  services: ServiceCounts;
  tasks: { latest: readonly OpenTaskLine[] };
  reissues: { first: readonly CertificateLine[] };
  validations: { first: readonly CertificateLine[] };
}): DashboardHtml {
  const serviceLink = (c: CertificateLine) =>
    `<a href="/admin/services/${c.serviceId}">#${c.serviceId} ${escapeHtml(c.commonName)}</a>`;
  return {
    balances: blocks.balances
      .map(
        (m) =>
          `<tr class="${m.low ? 'low' : ''}">\n` +
          `<td><a href="/admin/modules/${m.id}">${escapeHtml(m.name)}</a>${m.enabled ? '' : ' <span class="tag">disabled</span>'}</td>\n` +
          `<td class="num">${escapeHtml(money(m.balance))}${m.low ? ' <span class="tag warn" title="Below the Processing module minimal balance">low balance</span>' : ''}</td>\n` +
          `<td>${escapeHtml(instant(m.balanceReadAt))}</td>\n` +
          `<td class="num">${escapeHtml(money(m.minBalance))}</td>\n</tr>`,
      )
      .join('\n'),
    states: blocks.services.byState
      .map(
        (s) =>
          `<tr><td><a href="/admin/services?status=${escapeHtml(s.status)}">${escapeHtml(s.status.replace(/_/g, ' '))}</a></td>` +
          `<td class="num">${s.count}</td></tr>`,
      )
      .join('\n'),
    tasks: blocks.tasks.latest
      .map(
        (t) =>
          `<li><a href="/admin/tasks/${t.id}">${escapeHtml(t.title)}</a> <span class="muted">` +
          `${t.department ? `${escapeHtml(t.department)} · ` : ''}${escapeHtml(instant(t.createdAt))}</span></li>`,
      )
      .join('\n'),
    reissues: blocks.reissues.first
      .map(
        (r) =>
          `<tr><td>${serviceLink(r)}</td><td>${escapeHtml(instant(r.at))}</td><td>${escapeHtml(r.caOrderId)}</td></tr>`,
      )
      .join('\n'),
    validations: blocks.validations.first
      .map(
        (v) =>
          `<tr><td>${serviceLink(v)}</td><td>${escapeHtml(v.dcvMethod)}</td><td>${escapeHtml(instant(v.at))}</td></tr>`,
      )
      .join('\n'),
  };
}
