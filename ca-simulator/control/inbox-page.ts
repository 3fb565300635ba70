import type { Order } from '../state/simulator-data.ts';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The approver inbox: one row per order waiting for a person (email approval, OV/EV vetting,
 * phishing review), with buttons that post to the control calls and come back here.
 */
export function inboxPage(orders: Order[]): string {
  const rows = orders
    .map((o) => {
      const held = o.status === 2;
      const what = held
        ? 'phishing review'
        : o.dcv === 'email'
          ? `approval mail to ${esc(o.approverEmail ?? '')}`
          : o.dcv === 'vetting'
            ? `${o.family} vetting`
            : `${o.dcv.toUpperCase()} validation`;
      const button = (action: string, label: string): string =>
        `<form method="post" action="/_control/orders/${esc(o.orderId)}/${action}"><button>${label}</button></form>`;
      const actions = held
        ? button('release', 'Release') + button('reject', 'Reject')
        : button('approve', 'Approve') + button('reject', 'Reject');
      return `<tr><td>${esc(o.orderId)}</td><td>${esc(o.fqdn)}</td><td>${esc(o.productCode)}</td><td>${what}</td><td>${esc(o.orderDate)}</td><td class="a">${actions}</td></tr>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Simulator inbox</title><style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
td.a form{display:inline;margin-right:.3em}</style></head><body><h1>Pending approvals</h1>
${orders.length ? `<table><tr><th>OrderID</th><th>Name</th><th>Product</th><th>Waiting for</th><th>Ordered</th><th></th></tr>${rows}</table>` : '<p>Nothing is waiting.</p>'}
</body></html>`;
}
