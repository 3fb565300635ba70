import type { BillingContext } from './billing-context.ts';
import { assertEmailFree, emailTaken } from './client-repository.ts';
import { isUniqueViolation } from './is-unique-violation.ts';
import { readEmail, readText } from './read-text.ts';
import { getDepartment, type StaffUser } from './staff-repository.ts';

export interface AddStaffUserInput {
  readonly email: string;
  readonly name: string;
  readonly departmentId?: number | null;
}

/**
 * Adds a staff user (role admin), optionally in a department.
 * @example await addStaffUser(ctx, { email: 'ops@example.net', name: 'Ops', departmentId: 1 }) → { id: 1, role: 'admin', … }
 */
export async function addStaffUser(ctx: BillingContext, input: AddStaffUserInput): Promise<StaffUser> {
  const email = readEmail(input.email);
  const name = readText(input.name, 'user name');
  const departmentId = input.departmentId ?? null;
  if (departmentId !== null) await getDepartment(ctx.db.kysely, departmentId);
  await assertEmailFree(ctx.db.kysely, email);
  const createdAt = ctx.clock.now().toISOString();
  try {
    const row = await ctx.db.kysely
      .insertInto('staff_users')
      .values({ email, name, role: 'admin', department_id: departmentId, created_at: createdAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, email, name, role: 'admin', departmentId, createdAt };
  } catch (e) {
    if (isUniqueViolation(e)) throw emailTaken(email);
    throw e;
  }
}
