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
} as const satisfies Record<string, ErrorEntry>;
