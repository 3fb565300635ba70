import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane, a 16-byte
 * random salt and a 32-byte tag. The parameters travel in the PHC string, so raising them later
 * still verifies old hashes.
 * @example await hashPassword('correct horse') → '$argon2id$v=19$m=19456,t=2,p=1$…'
 */
export const ARGON2_PARAMETERS = {
  algorithm: 2 as Algorithm, // Argon2id (a const enum, not importable under isolatedModules)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  outputLen: 32,
} as const;

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMETERS);
}

/** A hash of a password nobody knows, verified against when the e-mail is unknown so timing tells nothing. */
let decoy: Promise<string> | undefined;

/** True when `password` matches `stored`; an absent hash costs the same time and answers false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  if (stored === null) {
    decoy ??= hashPassword('no account has this password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
