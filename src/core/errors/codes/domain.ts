import type { ErrorEntry } from '../catalogue.ts';

export const DOMAIN_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
