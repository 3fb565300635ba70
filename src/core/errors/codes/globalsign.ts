import type { ErrorEntry } from '../catalogue.ts';

export const GLOBALSIGN_ERRORS = {} as const satisfies Record<string, ErrorEntry>;
