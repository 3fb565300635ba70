export const SECOND_MS = 1_000;
export const DAY_MS = 86_400_000;

/**
 * The UTC calendar date of an instant, as shown to people.
 * @example formatUtcDate(new Date('2026-10-19T11:59:59Z')) → '2026-10-19'
 */
export function formatUtcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}
