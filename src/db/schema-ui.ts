import type { Generated } from 'kysely';

/**
 * A signed-in panel session (migration 009). The cookie holds a random token; only its SHA-256
 * (`token_hash`, hex) is stored, so a copy of the database opens no session. A session ends at
 * `idle_expires_at` (moved forward while it is used) or at `expires_at` (fixed at login),
 * whichever comes first.
 */
export interface WebSessionsTable {
  id: Generated<number>;
  token_hash: string;
  /** `staff` | `client` */
  user_kind: string;
  /** `staff_users.id` or `client_users.id`, after `user_kind`. */
  user_id: number;
  /** The synchronizer token every non-GET panel request must carry (`_csrf` or `x-csrf-token`). */
  csrf_token: string;
  /** A message for the next page shown, as JSON `{"kind","text"}`; cleared once shown. */
  flash: string | null;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  expires_at: string;
}

/**
 * Failed sign-ins counted per key (`ip:<address>` or `account:<e-mail>`) in a window; a key that
 * reaches its limit is refused until `locked_until`.
 */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface UiTables {
  web_sessions: WebSessionsTable;
  login_throttle: LoginThrottleTable;
}
