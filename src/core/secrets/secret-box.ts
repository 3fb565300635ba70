import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors/index.ts';
import { loadSecretKeys, type LoadSecretKeysInput, type SecretKey } from './secret-key.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretBox {
  /** Id of the key that seals (the current one). */
  readonly keyId: string;
  /** Whether the key file was created by this call. */
  readonly created: boolean;
  seal(plain: string, aad?: string): string;
  open(sealed: string, aad?: string): string;
  /** Sealed with an older key: open and seal again to finish a key rotation. */
  needsReseal(sealed: string): boolean;
}

export interface CreateSecretBoxInput extends LoadSecretKeysInput {
  /** Told every plaintext sealed or opened, e.g. `logs.registerSecret`, so logs mask it. */
  readonly onSecret?: (plain: string) => void;
}

/**
 * Encrypts secrets at rest with AES-256-GCM: `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url), a
 * random 12-byte IV per value. The optional AAD binds a value to where it is stored, so it cannot be
 * copied to another row; it must be the same to open. Any failure to open is `CORE_SECRET_UNREADABLE`.
 *
 * @example
 *   const box = createSecretBox({ env: process.env, keyFile: config.secretKeyFile, create: true });
 *   const sealed = box.seal('module-password', 'processing_module.password:7');
 *   box.open(sealed, 'processing_module.password:7') → 'module-password'
 */
export function createSecretBox(input: CreateSecretBoxInput): SecretBox {
  const { keys, created } = loadSecretKeys(input);
  const current = keys[0]!;
  const byId = new Map(keys.map((k) => [k.id, k]));
  const notify = input.onSecret ?? (() => undefined);

  return {
    keyId: current.id,
    created,
    seal(plain, aad) {
      notify(plain);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.bytes, iv);
      cipher.setAAD(additionalData(current.id, aad));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, current.id, b64(iv), b64(cipher.getAuthTag()), b64(body)].join(':');
    },
    open(sealed, aad) {
      const parts = parse(sealed);
      const key = byId.get(parts.keyId);
      if (!key) {
        throw unreadable(
          `This secret was sealed with key ${parts.keyId}, which is not loaded (current key ${current.id}): ` +
            'set CERTBILL_SECRET_KEY or the key file to the key that sealed it, or add that key as a previous key.',
          parts.keyId,
        );
      }
      const plain = decrypt(key, parts, aad);
      notify(plain);
      return plain;
    },
    needsReseal: (sealed) => parse(sealed).keyId !== current.id,
  };
}

interface SealedParts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly body: Buffer;
}

function parse(sealed: string): SealedParts {
  const parts = sealed.split(':');
  const [version, keyId, iv, tag, body] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    !keyId ||
    iv === undefined ||
    tag === undefined ||
    body === undefined
  ) {
    throw unreadable('This value is not a sealed secret (expected v1:<key id>:<iv>:<tag>:<ciphertext>).');
  }
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
    body: Buffer.from(body, 'base64url'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw unreadable('This sealed secret is damaged (wrong IV or tag length).', keyId);
  }
  return parsed;
}

function decrypt(key: SecretKey, parts: SealedParts, aad: string | undefined): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, parts.iv);
    decipher.setAAD(additionalData(key.id, aad));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.body), decipher.final()]).toString('utf8');
  } catch (e) {
    throw unreadable(
      `This secret cannot be decrypted with key ${key.id}: it was altered, or it belongs to another record than the one it was read for.`,
      key.id,
      e,
    );
  }
}

function additionalData(keyId: string, aad: string | undefined): Buffer {
  return Buffer.from(`${VERSION}:${keyId}:${aad ?? ''}`, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function unreadable(message: string, keyId?: string, cause?: unknown): AppError {
  return new AppError('CORE_SECRET_UNREADABLE', message, keyId ? { keyId } : {}, { cause });
}
