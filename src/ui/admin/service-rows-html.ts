import { formatMoney, type Money } from '../../core/money.ts';
import { escapeHtml } from '../escape-html.ts';
import type { ServiceLine } from './services-data.ts';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/**
 * The `<tr>` rows of the services table, built in code with every value escaped: one output in the
 * view instead of a dozen per row, which keeps a 50-row page cheap to render under load (the view
 * prints it with `| raw`).
 * @example serviceRowsHtml([line]) → '<tr><td><a href="/admin/services/7">7</a></td>…</tr>'
 */
export function serviceRowsHtml(services: readonly ServiceLine[]): string {
  return services
    .map((s) => {
      const href = `/admin/services/${s.id}`;
      return (
        `<tr><td><a href="${href}">${s.id}</a></td>` +
        `<td><a href="${href}">${escapeHtml(s.commonName)}</a></td>` +
        `<td><a href="/admin/clients/${s.clientId}">${escapeHtml(s.clientName)}</a></td>` +
        `<td>${escapeHtml(s.product)}${s.wildcard ? ' wildcard' : ''}, ${s.years} y</td>` +
        `<td><span class="state state-${escapeHtml(s.status)}">${escapeHtml(s.status.replace(/_/g, ' '))}</span></td>` +
        `<td>${escapeHtml(s.moduleName ?? '—')}</td>` +
        `<td>${day(s.expirationDate)}</td><td>${day(s.paidUntil)}</td>` +
        `<td class="num">${escapeHtml(`${formatMoney(s.price)} ${s.price.currency}`)}</td>` +
        `<td>${day(s.createdAt)}</td></tr>`
      );
    })
    .join('\n');
}

/** The `<tr>` rows of a client's transactions (ledger entries), newest first, values escaped. */
export function ledgerRowsHtml(
  entries: readonly {
    kind: string;
    amount: Money;
    balanceAfter: Money;
    serviceId: number | null;
    note: string | null;
    createdAt: string;
  }[],
): string {
  const money = (m: Money) => escapeHtml(`${formatMoney(m)} ${m.currency}`);
  return entries
    .map(
      (e) =>
        `<tr><td>${escapeHtml(`${e.createdAt.slice(0, 10)} ${e.createdAt.slice(11, 16)} UTC`)}</td>` +
        `<td>${escapeHtml(e.kind)}</td><td class="num">${money(e.amount)}</td>` +
        `<td class="num">${money(e.balanceAfter)}</td>` +
        `<td>${e.serviceId === null ? '' : `<a href="/admin/services/${e.serviceId}">${e.serviceId}</a>`}</td>` +
        `<td>${escapeHtml(e.note)}</td></tr>`,
    )
    .join('\n');
}

/** The `<tr>` rows of the clients list, values escaped. */
export function clientRowsHtml(
  clients: readonly { id: number; name: string; email: string; balance: Money; createdAt: string }[],
): string {
  return clients
    .map(
      (c) =>
        `<tr><td>${c.id}</td><td><a href="/admin/clients/${c.id}">${escapeHtml(c.name)}</a></td>` +
        `<td>${escapeHtml(c.email)}</td>` +
        `<td class="num">${escapeHtml(`${formatMoney(c.balance)} ${c.balance.currency}`)}</td>` +
        `<td>${c.createdAt.slice(0, 10)}</td></tr>`,
    )
    .join('\n');
}

/**
 * `<option>`s of a filter's `<select>`, the selected value marked, every value escaped (built in code
 * for the same reason as the rows: the services page's three filter loops were most of its view's
 * rendering time).
 * @example optionsHtml([{ value: 'DV', text: 'DomainSSL (DV)' }], 'DV') → '<option value="DV" selected>DomainSSL (DV)</option>'
 */
export function optionsHtml(options: readonly { value: string; text: string }[], selected: string): string {
  return options
    .map(
      (o) =>
        `<option value="${escapeHtml(o.value)}"${o.value === selected ? ' selected' : ''}>${escapeHtml(o.text)}</option>`,
    )
    .join('');
}
