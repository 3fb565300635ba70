import type { ErrorKind } from './app-error.ts';
import { CORE_ERRORS } from './codes/core.ts';
import { DOMAIN_ERRORS } from './codes/domain.ts';
import { GLOBALSIGN_ERRORS } from './codes/globalsign.ts';
import { BILLING_ERRORS } from './codes/billing.ts';
import { PROVISIONING_ERRORS } from './codes/provisioning.ts';
import { JOBS_ERRORS } from './codes/jobs.ts';
import { LIFECYCLE_ERRORS } from './codes/lifecycle.ts';
import { SUBSCRIPTION_ERRORS } from './codes/subscriptions.ts';
import { NOTIFICATIONS_ERRORS } from './codes/notifications.ts';
import { PANEL_ERRORS } from './codes/panel.ts';

export interface ErrorEntry {
  readonly kind: ErrorKind;
  /** One sentence for docs/errors.md: when it happens and what to do. */
  readonly doc: string;
  readonly retryable?: boolean;
}

/**
 * Every stable error code, per area. docs/errors.md lists each one (a test keeps both in sync).
 */
export const ERROR_CATALOGUE = {
  ...CORE_ERRORS,
  ...DOMAIN_ERRORS,
  ...GLOBALSIGN_ERRORS,
  ...BILLING_ERRORS,
  ...PROVISIONING_ERRORS,
  ...JOBS_ERRORS,
  ...LIFECYCLE_ERRORS,
  ...SUBSCRIPTION_ERRORS,
  ...NOTIFICATIONS_ERRORS,
  ...PANEL_ERRORS,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
