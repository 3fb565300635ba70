import type { ErrorEntry } from '../catalogue.ts';

export const DOMAIN_ERRORS = {
  DOMAIN_INVALID_PRODUCT_TYPE: { kind: 'validation', doc: 'The product type is not DV, OV or EV.' },
  DOMAIN_INVALID_CA_HABIT: {
    kind: 'validation',
    doc: 'The CA issuing habit is neither `cap` nor `under-cap`.',
  },
  DOMAIN_INVALID_INSTANT: {
    kind: 'validation',
    doc: 'A date or instant is not ISO 8601 with an offset (e.g. 2026-04-02T12:00:00Z) or is an impossible date.',
  },
  DOMAIN_INVALID_YEARS: {
    kind: 'validation',
    doc: 'The paid period is not a whole number of years from 1 to 5.',
  },
  DOMAIN_INVALID_BEFORE_DAYS: {
    kind: 'validation',
    doc: 'The days before expiration at which the reissue policy fires are not a whole number from 1 to 200.',
  },
  DOMAIN_INVALID_CERTIFICATE_DATES: {
    kind: 'validation',
    doc: "A certificate's notAfter is not after its issue instant; check the dates the CA returned.",
  },
  DOMAIN_PAID_PERIOD_OVER: {
    kind: 'validation',
    doc: 'A certificate was asked for at or after the end of the paid period; renew the subscription first.',
  },
  DOMAIN_TOO_MANY_NAMES: {
    kind: 'validation',
    doc: 'An order lists more than 100 additional names (SANs); remove some or split the order.',
  },
  DOMAIN_INVALID_NAME: {
    kind: 'validation',
    doc: 'A name is empty, too long, has a character other than letters, digits and hyphens, a label starting or ending with a hyphen, or is a malformed IP address; the message names it.',
  },
  DOMAIN_INVALID_IDN: {
    kind: 'validation',
    doc: 'An internationalised name cannot be converted to valid A-labels (UTS #46), or an xn-- label is malformed.',
  },
  DOMAIN_INVALID_WILDCARD: {
    kind: 'validation',
    doc: 'A `*` appears anywhere but as the whole leftmost label (`*.example.com`).',
  },
  DOMAIN_WILDCARD_NOT_ALLOWED: {
    kind: 'validation',
    doc: 'A wildcard name was given for a product that does not allow wildcards.',
  },
  DOMAIN_INTERNAL_NAME: {
    kind: 'validation',
    doc: 'A name is single-label or under a non-public top-level domain (.local, .internal, .lan…); use a public domain.',
  },
  DOMAIN_PRIVATE_IP: {
    kind: 'validation',
    doc: 'An IP address is private, loopback, link-local or otherwise reserved; public certificates take public addresses only.',
  },
  DOMAIN_INVALID_PRICE: {
    kind: 'validation',
    doc: 'A price is negative or not a whole number of minor units.',
  },
  DOMAIN_INVALID_QUANTITY: {
    kind: 'validation',
    doc: 'A name count or included count is negative or not a whole number.',
  },
  DOMAIN_PRICE_CURRENCY_MISMATCH: {
    kind: 'validation',
    doc: 'The addon prices are not in the currency of the base price; all prices of an order must share one currency.',
  },
} as const satisfies Record<string, ErrorEntry>;
