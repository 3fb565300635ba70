import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors/index.ts';

const KEY_BYTES = 32;

/** A 256-bit key and the short id written into every value it seals. */
export interface SecretKey {
  readonly id: string;
  readonly bytes: Buffer;
}

export interface LoadSecretKeysInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Config `SecretKeyFile`; used when CERTBILL_SECRET_KEY is not set. */
  readonly keyFile: string;
  /** Create the key file with a fresh random key when it is missing (`certbill start`). */
  readonly create: boolean;
}

export interface LoadedSecretKeys {
  /** Current key first (it seals), then previous ones (they only open). */
  readonly keys: readonly SecretKey[];
  readonly source: 'env:CERTBILL_SECRET_KEY' | `file:${string}`;
  readonly created: boolean;
}

/**
 * Finds the keys: `CERTBILL_SECRET_KEY` (one key, or several separated by commas, current first) or
 * the key file (one key a line, current first, `#` comments). A key is 32 bytes in hex or base64.
 * There is no built-in key: without either, this throws `CONFIG_SECRET_KEY` unless `create` is set,
 * which writes a random key to the file with mode 0600. A key file that group or others can read is
 * refused (`CONFIG_SECRET_KEY_EXPOSED`).
 *
 * @example loadSecretKeys({ env: {}, keyFile: 'etc/secret.key', create: true }) → { keys: [{ id: '3f9a0c12', … }], source: 'file:etc/secret.key', created: true }
 */
export function loadSecretKeys(input: LoadSecretKeysInput): LoadedSecretKeys {
  const fromEnv = input.env['CERTBILL_SECRET_KEY']?.trim();
  if (fromEnv) {
    return {
      keys: parseKeys(fromEnv.split(','), 'CERTBILL_SECRET_KEY'),
      source: 'env:CERTBILL_SECRET_KEY',
      created: false,
    };
  }
  const path = input.keyFile;
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) {
    if (!input.create) {
      throw new AppError(
        'CONFIG_SECRET_KEY',
        `No secret key: set CERTBILL_SECRET_KEY or create ${path} (certbill start creates it on first run).`,
        { keyFile: path },
      );
    }
    return { keys: [createKeyFile(path)], source: `file:${path}`, created: true };
  }
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new AppError(
      'CONFIG_SECRET_KEY_EXPOSED',
      `${path} is readable by group or others (mode ${mode}): run chmod 600 ${path}.`,
      { keyFile: path, mode },
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('CONFIG_SECRET_KEY', `Cannot read ${path}: ${(e as Error).message}`, {
      keyFile: path,
    });
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#'));
  return { keys: parseKeys(lines, path), source: `file:${path}`, created: false };
}

/** `sha256("certbill-key-id" ‖ key)`, first 8 hex digits: names a key without revealing it. */
export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256').update('certbill-key-id\0').update(bytes).digest('hex').slice(0, 8);
}

function parseKeys(texts: readonly string[], where: string): SecretKey[] {
  const keys = texts.map((t, i) => {
    const bytes = decodeKey(t.trim());
    if (!bytes) {
      const which = texts.length > 1 ? `key ${i + 1} of ${where}` : where;
      throw new AppError('CONFIG_SECRET_KEY', `${which} is not 32 bytes in hex (64 digits) or base64.`, {
        where,
      });
    }
    return { id: keyIdOf(bytes), bytes };
  });
  if (!keys.length) throw new AppError('CONFIG_SECRET_KEY', `${where} holds no key.`, { where });
  return keys;
}

function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

function createKeyFile(path: string): SecretKey {
  const bytes = randomBytes(KEY_BYTES);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${bytes.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another process started at the same moment and won: use its key.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      return parseKeys([readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? ''], path)[0]!;
    }
    throw new AppError('CONFIG_SECRET_KEY', `Cannot create ${path}: ${(e as Error).message}`, {
      keyFile: path,
    });
  }
  return { id: keyIdOf(bytes), bytes };
}
