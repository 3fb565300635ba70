import { formatMoney } from '../../src/core/money.ts';
import { certificateEnd } from '../pki/certificate-validity.ts';
import { text } from '../soap/soap-request.ts';
import { el, nil } from '../soap/xml-writer.ts';
import { priceFor } from './order-book.ts';
import { ts } from './order-detail-xml.ts';
import type { Operation } from './operation.ts';
import { PRODUCTS, readOrderDraft } from './place-order.ts';

const ALL_PRODUCTS = { ...PRODUCTS.email, ...PRODUCTS.http, ...PRODUCTS.dns, ...PRODUCTS.OV, ...PRODUCTS.EV };

/** ValidateOrderParameters (GASService): checks an order without placing it; price and validity preview. */
export const validateOrderParameters: Operation = {
  name: 'ValidateOrderParameters',
  service: 'GASService',
  responseHeader: 'OrderResponseHeader',
  errorBody: nil('Price') + nil('Currency') + nil('ValidityPeriod') + nil('ParsedCSR'),
  run: ({ ctx, account, req }) => {
    const fqdn = text(req, 'FQDN');
    const draft = readOrderDraft(ctx, account, req, ALL_PRODUCTS, fqdn);
    const price = priceFor(ctx.store.data, draft.family, draft.months, account.currency);
    const now = ctx.clock.now();
    const nb = draft.requestedNotBefore ? new Date(draft.requestedNotBefore) : now;
    const na = certificateEnd(
      nb,
      ctx.settings.validity,
      draft.months,
      draft.requestedNotAfter ? new Date(draft.requestedNotAfter) : undefined,
    );
    const s = draft.csr.subject;
    const subject = [
      ['CN', s.CN],
      ['O', s.O],
      ['OU', s.OU],
      ['L', s.L],
      ['ST', s.ST],
      ['C', s.C],
    ]
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    return {
      fqdn: draft.fqdn,
      body: [
        el('Price', formatMoney({ amountMinor: price, currency: account.currency })),
        el('Currency', account.currency),
        el('ValidityPeriod', [
          el('Months', draft.months),
          el('NotBefore', ts(ctx, nb.toISOString())!),
          el('NotAfter', ts(ctx, na.toISOString())!),
        ]),
        el('ParsedCSR', [
          el('Subject', subject),
          el('DomainName', draft.fqdn),
          el('Country', s.C ?? ''),
          el('Email', s.E ?? ''),
          el('Locality', s.L ?? ''),
          el('Organization', s.O ?? ''),
          el('OrganizationUnit', s.OU ?? ''),
          el('State', s.ST ?? ''),
          el('IsValidDomainName', 'true'),
        ]),
      ].join(''),
    };
  },
};
