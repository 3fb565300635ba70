import type { ErrorEntry } from '../catalogue.ts';

export const PROVISIONING_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
