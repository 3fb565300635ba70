import type { Migration } from 'kysely';
import * as foundation from './001-foundation.ts';

/** Every migration, in order. Names never change once released. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-foundation': foundation,
};
