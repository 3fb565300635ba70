import { AppError } from '../core/errors/index.ts';
import type { BillingContext } from './billing-context.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { readEmail, readText } from './read-text.ts';
import type { Department } from './staff-repository.ts';

export interface AddDepartmentInput {
  readonly name: string;
  readonly email?: string | null;
}

/**
 * Creates a department: where processing modules send tasks and notifications.
 * @example await addDepartment(ctx, { name: 'Support', email: 'support@example.net' }) → { id: 1, … }
 */
export async function addDepartment(ctx: BillingContext, input: AddDepartmentInput): Promise<Department> {
  const name = readText(input.name, 'department name');
  const email = input.email == null ? null : readEmail(input.email, 'department e-mail address');
  const createdAt = ctx.clock.now().toISOString();
  try {
    const row = await ctx.db.kysely
      .insertInto('departments')
      .values({ name, email, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, name, email, createdAt };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new AppError('BILLING_DEPARTMENT_EXISTS', `A department named "${name}" already exists.`, { name });
  }
}
