import type { Kysely, Transaction } from 'kysely';
import type { JobsTables } from '../db/schema-jobs.ts';

/**
 * The jobs tables seen through whatever database type the caller holds (the application's
 * Kysely, a transaction of a use case, or a test's `Kysely<JobsTables>`).
 */
export function jobsKysely<DB>(k: Kysely<DB> | Transaction<DB>): Kysely<JobsTables> {
  return k as unknown as Kysely<JobsTables>;
}
