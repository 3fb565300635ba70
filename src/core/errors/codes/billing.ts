import type { ErrorEntry } from '../catalogue.ts';

export const BILLING_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
