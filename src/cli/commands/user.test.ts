import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { uniqueEmail } from '../../../test/support/builders.ts';
import { runCommands, useDatabaseUrl } from '../../../test/support/cli.ts';
import { createTestDatabase, testDialects } from '../../../test/support/databases.ts';
import { TestClock } from '../../core/clock.ts';
import type { Database } from '../../db/database.ts';
import { signIn } from '../../ui/access/sign-in.ts';
import { registerClientCommands } from './client.ts';
import { passwordInput, registerUserCommands } from './user.ts';

const certbill = (...argv: string[]) =>
  runCommands((program) => {
    registerUserCommands(program);
    registerClientCommands(program);
  }, argv);

describe.each(testDialects())('certbill user on %s', (dialect) => {
  let db: Database & { drop(): Promise<void> };
  let restoreUrl: () => void;
  const clock = new TestClock('2026-04-02T12:00:00Z');
  const ip = '192.0.2.1';

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    restoreUrl = useDatabaseUrl(db.url);
  });
  afterAll(async () => {
    restoreUrl();
    await db.drop();
  });

  it('adds a staff user and gives it a random password, printed once, that signs in', async () => {
    const email = uniqueEmail('ops');
    const added = await certbill('user', 'add-staff', '--email', email, '--name', 'Ops', '--json');
    expect(added.exitCode).toBe(0);
    const set = await certbill('user', 'password', '--staff', email, '--json');
    expect(set.exitCode).toBe(0);
    expect(set.json).toMatchObject({ kind: 'staff', email, userId: added.json.id });
    const password = set.json.password as string;
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(await signIn({ db, clock }, { email, password, ip })).toMatchObject({
      ok: true,
      userKind: 'staff',
    });
  });

  it('sets a client user password read from standard input, without printing it', async () => {
    const email = uniqueEmail('ann');
    await certbill('client', 'add', '--email', email, '--name', 'Ann', '--json');
    const read = vi.spyOn(passwordInput, 'read').mockResolvedValue('a long enough secret\n');
    try {
      const set = await certbill('user', 'password', '--client', email, '--password-stdin', '--json');
      expect(set.exitCode).toBe(0);
      expect(set.json).not.toHaveProperty('password');
    } finally {
      read.mockRestore();
    }
    const ok = await signIn({ db, clock }, { email, password: 'a long enough secret', ip });
    expect(ok).toMatchObject({ ok: true, userKind: 'client' });
  });

  it('exits 2 for an unknown user, a short password, or both flags', async () => {
    const unknown = await certbill('user', 'password', '--staff', uniqueEmail('nobody'), '--json');
    expect(unknown).toMatchObject({ exitCode: 2, json: { error: { code: 'PANEL_USER_NOT_FOUND' } } });
    const email = uniqueEmail('short');
    await certbill('user', 'add-staff', '--email', email, '--name', 'Short', '--json');
    const read = vi.spyOn(passwordInput, 'read').mockResolvedValue('short\n');
    try {
      const short = await certbill('user', 'password', '--staff', email, '--password-stdin', '--json');
      expect(short).toMatchObject({ exitCode: 2, json: { error: { code: 'PANEL_PASSWORD_INVALID' } } });
    } finally {
      read.mockRestore();
    }
    const both = await certbill('user', 'password', '--staff', email, '--client', email, '--json');
    expect(both).toMatchObject({ exitCode: 2, json: { error: { code: 'CORE_VALIDATION' } } });
  });
});
