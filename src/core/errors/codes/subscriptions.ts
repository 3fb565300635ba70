import type { ErrorEntry } from '../catalogue.ts';

export const SUBSCRIPTION_ERRORS = {
  SUBSCRIPTION_NO_CA_ORDER: {
    kind: 'conflict',
    doc: 'A reissue needs the CA order of the certificate in use, and the service has no issued certificate with one (not issued yet, or issued elsewhere); order the certificate first.',
  },
  SUBSCRIPTION_PAID_PERIOD_OVER: {
    kind: 'conflict',
    doc: 'The paid period of the service has ended, so no certificate may be issued for it; the reissue is not placed. Renew the service to get a new paid period.',
  },
  SUBSCRIPTION_SELECTION_REQUIRED: {
    kind: 'validation',
    doc: '`certbill reissue now` needs either `--service <id>[,…]` or `--all-active` (not both), and the filters must be valid (`--product DV_LOW|DV|OV|EV`, numeric ids).',
  },
  SUBSCRIPTION_REISSUE_IN_PROGRESS: {
    kind: 'conflict',
    doc: 'A certificate of the service is already on its way (a reissue or the first order is being placed, or waits at the CA for validation); wait until it is issued (or has failed) and ask again.',
  },
  SUBSCRIPTION_REISSUE_INVALID: {
    kind: 'validation',
    doc: "The reissue asked for by the client cannot be made as asked: a new key needs a certificate whose key certbill generated (with your own CSR, paste a new one), or the new CSR asks for names that are not the service's; the message says which.",
  },
} as const satisfies Record<string, ErrorEntry>;
