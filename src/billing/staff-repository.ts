import type { Kysely } from 'kysely';
import { AppError } from '../core/errors/index.ts';
import type { Database as Schema } from '../db/schema.ts';

export interface Department {
  readonly id: number;
  readonly name: string;
  /** Where the department's tasks and notifications go; null until set. */
  readonly email: string | null;
  readonly createdAt: string;
}

export const STAFF_ROLES = ['admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface StaffUser {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly departmentId: number | null;
  readonly createdAt: string;
}

export async function listDepartments(db: Kysely<Schema>): Promise<Department[]> {
  const rows = await db.selectFrom('departments').selectAll().orderBy('id', 'asc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, createdAt: r.created_at }));
}

export async function getDepartment(db: Kysely<Schema>, id: number): Promise<Department> {
  const row = await db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row)
    throw new AppError('BILLING_DEPARTMENT_NOT_FOUND', `Department ${id} does not exist.`, {
      departmentId: id,
    });
  return { id: row.id, name: row.name, email: row.email, createdAt: row.created_at };
}

export async function listStaffUsers(db: Kysely<Schema>): Promise<StaffUser[]> {
  const rows = await db.selectFrom('staff_users').selectAll().orderBy('id', 'asc').execute();
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role as StaffRole,
    departmentId: r.department_id,
    createdAt: r.created_at,
  }));
}
