/**
 * A json column's value: SQLite returns the JSON text, PostgreSQL (jsonb) the parsed value; null
 * stays null.
 * @example readJsonColumn<string[]>(row.chain_pems) ?? []
 */
export function readJsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
