/** Named states of GlobalSign's numeric `OrderStatus` / `CertificateStatus`. */
export const ORDER_STATES = [
  'initial',
  'waiting_phishing_check',
  'cancelled_not_issued',
  'issued',
  'cancelled_issued',
  'waiting_revocation',
  'revoked',
  'unknown',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * The one table of GlobalSign statuses (spec §7). 8–10 appear only in MSSL material
 * (pending approval, locked, denied); they map to `unknown` and the caller keeps the raw code.
 */
export const STATUS_TABLE: Readonly<Record<string, { state: OrderState; meaning: string }>> = {
  '1': { state: 'initial', meaning: 'ordered; waiting for validation, vetting or approval' },
  '2': { state: 'waiting_phishing_check', meaning: 'held for GlobalSign’s phishing / high-risk review' },
  '3': { state: 'cancelled_not_issued', meaning: 'cancelled before issue' },
  '4': { state: 'issued', meaning: 'issue completed' },
  '5': { state: 'cancelled_issued', meaning: 'cancelled after issue' },
  '6': { state: 'waiting_revocation', meaning: 'revocation requested' },
  '7': { state: 'revoked', meaning: 'revoked' },
  '8': { state: 'unknown', meaning: 'pending approval (MSSL; unconfirmed for GCC SSL)' },
  '9': { state: 'unknown', meaning: 'locked (MSSL; unconfirmed for GCC SSL)' },
  '10': { state: 'unknown', meaning: 'denied (MSSL; unconfirmed for GCC SSL)' },
};

/**
 * Names a raw status; anything outside the table is `unknown`.
 *
 * @example
 *   orderStateOf(' 4'); // 'issued'
 */
export function orderStateOf(code: string): OrderState {
  return STATUS_TABLE[code.trim()]?.state ?? 'unknown';
}
