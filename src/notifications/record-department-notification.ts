import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export const DEPARTMENT_TEMPLATES = ['processing-error', 'module-low-balance'] as const;
export type DepartmentTemplate = (typeof DEPARTMENT_TEMPLATES)[number];

export interface DepartmentNotificationInput {
  readonly departmentId: number;
  readonly template: DepartmentTemplate;
  /** The template's variables (docs/notifications.md); `actionNeeded` says whether a person must act. */
  readonly variables: { readonly actionNeeded: boolean } & Readonly<Record<string, unknown>>;
  /** Once per what, e.g. `processing-error:generation:3`, `module-low-balance:module:1:2026-04-02T12:00:00.000Z`. */
  readonly dedupeKey: string;
  readonly serviceId?: number | null;
  readonly generationId?: number | null;
  readonly now: Date;
}

/**
 * Records a message to a Department once per `dedupeKey`, to be mailed to the Department's address
 * by the `mail-outbox` job. Call it inside the transaction that decides it; true when recorded now.
 * @example await recordDepartmentNotification(trx, { departmentId: 2, template: 'module-low-balance',
 *   variables: { moduleId: 1, moduleName: 'GlobalSign', balance: '400.00 USD', minBalance: '500.00 USD',
 *   readAt, actionNeeded: true }, dedupeKey: `module-low-balance:module:1:${readAt}`, now }) → true
 */
export async function recordDepartmentNotification<DB>(
  k: Kysely<DB> | Transaction<DB>,
  input: DepartmentNotificationInput,
): Promise<boolean> {
  const db = k as unknown as Kysely<Database>;
  const department = await db
    .selectFrom('departments')
    .select('email')
    .where('id', '=', input.departmentId)
    .executeTakeFirst();
  if (!department) return false;
  const inserted = await db
    .insertInto('notifications')
    .values({
      client_id: null,
      department_id: input.departmentId,
      service_id: input.serviceId ?? null,
      generation_id: input.generationId ?? null,
      template: input.template,
      recipient_email: department.email,
      variables: JSON.stringify(input.variables),
      action_needed: input.variables.actionNeeded ? 1 : 0,
      dedupe_key: input.dedupeKey,
      created_at: input.now.toISOString(),
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
