import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../app-context.ts';
import { setUserPassword } from './set-user-password.ts';

export interface DemoLogin {
  readonly email: string;
  /** Random, returned once to be printed; only its argon2id hash is stored. */
  readonly password: string;
}

/**
 * Gives the demo's admin (a staff user) and the demo client's user random panel passwords.
 * Only the embedded demo's first start calls it; a production start creates no account.
 * @example await createDemoLogins(ctx, { adminEmail: 'admin@example.com', clientEmail: 'demo@example.com' })
 *   → { adminLogin: { email: 'admin@example.com', password: 'Yq3…' }, clientLogin: { … } }
 */
export async function createDemoLogins(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  emails: { adminEmail: string; clientEmail: string },
): Promise<{ adminLogin: DemoLogin; clientLogin: DemoLogin }> {
  const adminLogin = { email: emails.adminEmail, password: randomPassword() };
  const clientLogin = { email: emails.clientEmail, password: randomPassword() };
  await setUserPassword(ctx, { kind: 'staff', ...adminLogin });
  await setUserPassword(ctx, { kind: 'client', ...clientLogin });
  return { adminLogin, clientLogin };
}

/** 18 random bytes as 24 URL-safe characters (144 bits). */
function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
