import { AppError } from '../core/errors/index.ts';
import { DAY_MS, SECOND_MS } from './utc-date.ts';

/**
 * How long a CA makes a certificate when asked for the maximum: `cap` reaches it
 * (notAfter = issuedAt + max days − 1 s, since any fraction of a day counts as a day), `under-cap`
 * stays one day under it, as GlobalSign does.
 */
export const CA_HABITS = ['cap', 'under-cap'] as const;
export type CaHabit = (typeof CA_HABITS)[number];

export function parseCaHabit(text: string): CaHabit {
  const found = CA_HABITS.find((habit) => habit === text.trim());
  if (!found) {
    throw new AppError(
      'DOMAIN_INVALID_CA_HABIT',
      `CA habit "${text}" is not known; allowed: ${CA_HABITS.join(', ')}.`,
      {
        caHabit: text,
        allowed: CA_HABITS,
      },
    );
  }
  return found;
}

/**
 * The notAfter a CA with this habit gives a certificate issued at the maximum validity.
 * @example expectedMaxNotAfter(new Date('2026-04-02T12:00:00Z'), 200, 'cap') → 2026-10-19T11:59:59Z
 */
export function expectedMaxNotAfter(issuedAt: Date, maxValidityDays: number, habit: CaHabit): Date {
  const days = habit === 'cap' ? maxValidityDays : maxValidityDays - 1;
  return new Date(issuedAt.getTime() + days * DAY_MS - SECOND_MS);
}
