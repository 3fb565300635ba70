import type { AppContext } from '../../src/app-context.ts';
import { composeBareContext } from '../../src/compose.ts';
import { TestClock } from '../../src/core/clock.ts';
import type { Dialect } from '../../src/db/database.ts';
import { createTestDatabase } from './databases.ts';

export type TestContext = AppContext & { clock: TestClock; drop(): Promise<void> };

/** An AppContext on a fresh migrated database of `dialect`, a TestClock and silent logs. */
export async function createTestContext(
  dialect: Dialect,
  overrides: Partial<Omit<AppContext, 'db' | 'clock'>> & { clock?: TestClock } = {},
): Promise<TestContext> {
  const db = await createTestDatabase(dialect);
  const clock = overrides.clock ?? new TestClock('2026-04-02T12:00:00Z');
  return {
    ...composeBareContext(db, { clock, version: 'test' }),
    ...overrides,
    clock,
    db,
    drop: () => db.drop(),
  };
}
