import type { ErrorEntry } from '../catalogue.ts';

export const BILLING_ERRORS = {
  BILLING_INVALID_INPUT: {
    kind: 'validation',
    doc: 'A billing field is empty, too long or malformed (name, e-mail, label); the message names the field and what is allowed.',
  },
  BILLING_EMAIL_TAKEN: {
    kind: 'conflict',
    doc: 'Another user (client or staff) already has this e-mail address; use another address or the existing user.',
  },
  BILLING_DEPARTMENT_EXISTS: {
    kind: 'conflict',
    doc: 'A department with this name exists; pick another name.',
  },
  BILLING_DEPARTMENT_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No department has this id; list the departments first.',
  },
  BILLING_CLIENT_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No client has this id (or the token may not see it).',
  },
  BILLING_AMOUNT_NOT_POSITIVE: {
    kind: 'validation',
    doc: 'A credit, charge or refund amount is zero or negative (an adjustment must not be zero); give a positive amount.',
  },
  BILLING_CURRENCY_MISMATCH: {
    kind: 'validation',
    doc: "The amount or tariff is in another currency than the client's account; use the account's currency or a tariff in it.",
  },
  BILLING_INSUFFICIENT_BALANCE: {
    kind: 'insufficient_funds',
    doc: 'The balance does not cover the charge; nothing was charged. The message says how much to add.',
  },
  BILLING_LEDGER_REFERENCE_TAKEN: {
    kind: 'conflict',
    doc: 'A ledger entry with this reference exists, so this money movement already happened; nothing was moved again.',
  },
  BILLING_INVALID_PRODUCT: {
    kind: 'validation',
    doc: 'The certificate product is not DV_LOW, DV, OV or EV, or has no wildcard variant (EV); pick one from the catalogue.',
  },
  BILLING_INVALID_TARIFF: {
    kind: 'validation',
    doc: 'The tariff definition is incomplete or inconsistent (no price, a period outside 1-5 years, an addon priced for a period the tariff does not sell); the message names the field.',
  },
  BILLING_TARIFF_NOT_FOUND: { kind: 'not_found', doc: 'No tariff has this id; list the tariffs first.' },
  BILLING_TARIFF_INACTIVE: {
    kind: 'validation',
    doc: 'The tariff is inactive and sells nothing; pick an active tariff or activate it.',
  },
  BILLING_PERIOD_NOT_SOLD: {
    kind: 'validation',
    doc: 'The tariff has no price for this number of years; the message lists the periods it sells.',
  },
  BILLING_ADDON_NOT_SOLD: {
    kind: 'validation',
    doc: 'The order has names of an addon the tariff does not sell (Additional domains or Additional UC SANs domains); remove them or pick another tariff.',
  },
  BILLING_WILDCARD_MISMATCH: {
    kind: 'validation',
    doc: 'A wildcard tariff needs a wildcard common name (*.example.com) and a plain tariff a plain one; pick the matching tariff.',
  },
  BILLING_INVALID_ORDER: {
    kind: 'validation',
    doc: 'The provisioning parameters are unusable (both a CSR and key generation, an unknown DCV method, a bad approver address); the message says which.',
  },
  BILLING_INVALID_SETTINGS: {
    kind: 'validation',
    doc: 'A product type setting is out of range (policy other than auto, manual, none); the message lists what is allowed.',
  },
  BILLING_SERVICE_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No service has this id (or the token may not see it).',
  },
  BILLING_SERVICE_NOT_CANCELLABLE: {
    kind: 'conflict',
    doc: 'The service is already cancelled or expired; there is nothing to cancel.',
  },
  BILLING_REFUND_WINDOW_CLOSED: {
    kind: 'conflict',
    doc: 'The refund windows are over (not issued and ordered more than 30 days ago, or issued more than 6 days ago); the service runs to the end of its paid period.',
  },
  BILLING_SERVICE_NOT_RENEWABLE: {
    kind: 'conflict',
    doc: 'The service cannot be renewed: its paid period has not started, it was cancelled, or it was already renewed.',
  },
  BILLING_SERVICE_STATE: {
    kind: 'conflict',
    doc: 'The service is not in a state that allows this change (e.g. an expired service cannot become active); read it again before acting.',
  },
  BILLING_PAID_PERIOD_STARTED: {
    kind: 'conflict',
    doc: 'The paid period of the service already started at another instant; it starts once, at the first issue.',
  },
  BILLING_IDEMPOTENCY_KEY_INVALID: {
    kind: 'validation',
    doc: 'The idempotency key is empty, longer than 200 characters or has characters outside printable ASCII.',
  },
  BILLING_IDEMPOTENCY_KEY_REUSED: {
    kind: 'conflict',
    doc: 'The idempotency key was used before for a different request; use a fresh key for a new request.',
  },
  BILLING_TOKEN_MISSING: {
    kind: 'unauthorized',
    doc: 'The request has no `Authorization: Bearer <token>` header; create a token with `certbill token create`.',
  },
  BILLING_TOKEN_INVALID: {
    kind: 'unauthorized',
    doc: 'The API token is unknown or revoked; create a new one with `certbill token create`.',
  },
  BILLING_FORBIDDEN: {
    kind: 'forbidden',
    doc: 'The API token does not allow this call (a client token on an admin route); use an admin token.',
  },
} as const satisfies Record<string, ErrorEntry>;
