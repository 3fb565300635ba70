import type { AppContext } from '../../src/app-context.ts';
import { randomBytes } from 'node:crypto';
import { TestClock } from '../../src/core/clock.ts';
import { loadConfig } from '../../src/core/config/index.ts';
import { createSecretBox } from '../../src/core/secrets/index.ts';
import { nullLogger } from '../../src/core/logs/module-logger.ts';
import type { Dialect } from '../../src/db/database.ts';
import { createTestDatabase } from './databases.ts';

export type TestContext = AppContext & { clock: TestClock; drop(): Promise<void> };

/** An AppContext on a fresh migrated database of `dialect`, a TestClock and silent logs. */
export async function createTestContext(
  dialect: Dialect,
  overrides: Partial<Omit<AppContext, 'db' | 'clock'>> & { clock?: TestClock } = {},
): Promise<TestContext> {
  const db = await createTestDatabase(dialect);
  return {
    version: 'test',
    log: nullLogger,
    logger: () => nullLogger,
    subscriptionOverride: {},
    config: loadConfig({ etcDir: '/nonexistent-certbill-etc', env: {} }).config,
    secrets: createSecretBox({
      env: { CERTBILL_SECRET_KEY: randomBytes(32).toString('base64') },
      keyFile: '/nonexistent-certbill-etc/secret.key',
      create: false,
    }),
    ...overrides,
    clock: overrides.clock ?? new TestClock('2026-04-02T12:00:00Z'),
    db,
    drop: () => db.drop(),
  };
}
