/**
 * Whether a database error is a unique or primary-key violation, on either dialect: the signal the
 * exactly-once guards (ledger references, idempotency keys, one renewal per service) rely on.
 * @example isUniqueViolation(pgError23505) → true
 */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null || !('code' in e)) return false;
  const code = (e as { code: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
