import type { Kysely, Transaction } from 'kysely';
import type { CertificateGenerationsTable } from '../db/schema-lifecycle.ts';
import type { GenerationReissueColumns, SubscriptionTables } from '../db/schema-subscriptions.ts';
import type { LifecycleSchema } from '../provisioning/lifecycle/lifecycle-context.ts';

/** Every table the subscription use cases read or write, generations with their reissue columns. */
export type SubscriptionSchema = Omit<LifecycleSchema, 'certificate_generations'> &
  SubscriptionTables & {
    certificate_generations: CertificateGenerationsTable & GenerationReissueColumns;
  };

/** The subscription tables over any Kysely of the application (until the schema folds them in). */
export function subscriptionsKysely<DB>(k: Kysely<DB> | Transaction<DB>): Kysely<SubscriptionSchema> {
  return k as unknown as Kysely<SubscriptionSchema>;
}
