import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { createSecretBox } from './secret-box.ts';
import { keyIdOf } from './secret-key.ts';

const keyFileIn = () => join(mkdtempSync(join(tmpdir(), 'certbill-secrets-')), 'etc', 'secret.key');
const hexKey = () => randomBytes(32).toString('hex');

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return `${e.code}: ${e.message}`;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('createSecretBox', () => {
  it('opens what it sealed, with and without AAD, and never seals the same way twice', () => {
    const box = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
    });
    const a = box.seal('module-pässword ✓');
    const b = box.seal('module-pässword ✓');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^v1:[0-9a-f]{8}:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toContain('module');
    expect(box.open(a)).toBe('module-pässword ✓');
    const bound = box.seal('pw', 'processing_module.password:7');
    expect(box.open(bound, 'processing_module.password:7')).toBe('pw');
    expect(box.seal('')).not.toBe('');
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses a value opened for another record than the one it was sealed for', () => {
    const box = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
    });
    const sealed = box.seal('pw', 'processing_module.password:7');
    expect(codeOf(() => box.open(sealed, 'processing_module.password:8'))).toMatch(
      /^CORE_SECRET_UNREADABLE: .*altered, or it belongs to another record/,
    );
    expect(codeOf(() => box.open(sealed))).toMatch(/^CORE_SECRET_UNREADABLE/);
  });

  it('detects a tampered ciphertext, tag or format', () => {
    const box = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
    });
    const parts = box.seal('a longer secret value').split(':');
    const flip = (s: string) => {
      const bytes = Buffer.from(s, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    const variants = [
      [parts[0], parts[1], parts[2], parts[3], flip(parts[4]!)],
      [parts[0], parts[1], parts[2], flip(parts[3]!), parts[4]],
      [parts[0], parts[1], flip(parts[2]!), parts[3], parts[4]],
    ];
    for (const v of variants) expect(codeOf(() => box.open(v.join(':')))).toMatch(/^CORE_SECRET_UNREADABLE/);
    expect(codeOf(() => box.open('plain text'))).toMatch(
      /^CORE_SECRET_UNREADABLE: This value is not a sealed secret/,
    );
    expect(codeOf(() => box.open(`v2:${parts.slice(1).join(':')}`))).toMatch(/not a sealed secret/);
  });

  it('says which key a value needs when opened with the wrong key', () => {
    const first = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
    });
    const other = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
    });
    expect(codeOf(() => other.open(first.seal('pw')))).toBe(
      `CORE_SECRET_UNREADABLE: This secret was sealed with key ${first.keyId}, which is not loaded (current key ${other.keyId}): ` +
        'set CERTBILL_SECRET_KEY or the key file to the key that sealed it, or add that key as a previous key.',
    );
  });

  it('opens values of a previous key after rotation and says they need sealing again', () => {
    const oldKey = hexKey();
    const newKey = randomBytes(32).toString('base64');
    const before = createSecretBox({
      env: { CERTBILL_SECRET_KEY: oldKey },
      keyFile: keyFileIn(),
      create: false,
    });
    const sealed = before.seal('pw');
    const after = createSecretBox({
      env: { CERTBILL_SECRET_KEY: `${newKey},${oldKey}` },
      keyFile: keyFileIn(),
      create: false,
    });
    expect(after.keyId).toBe(keyIdOf(Buffer.from(newKey, 'base64')));
    expect(after.open(sealed)).toBe('pw');
    expect(after.needsReseal(sealed)).toBe(true);
    expect(after.needsReseal(after.seal('pw'))).toBe(false);
  });

  it('creates the key file with mode 0600 on first start and reuses it after', () => {
    const keyFile = keyFileIn();
    const box = createSecretBox({ env: {}, keyFile, create: true });
    expect(box.created).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    const again = createSecretBox({ env: {}, keyFile, create: true });
    expect(again.created).toBe(false);
    expect(again.open(box.seal('pw'))).toBe('pw');
  });

  it('has no default key: without the variable or the file it refuses to start', () => {
    expect(codeOf(() => createSecretBox({ env: {}, keyFile: keyFileIn(), create: false }))).toMatch(
      /^CONFIG_SECRET_KEY: No secret key: set CERTBILL_SECRET_KEY or create .*secret\.key/,
    );
    const a = createSecretBox({ env: {}, keyFile: keyFileIn(), create: true });
    const b = createSecretBox({ env: {}, keyFile: keyFileIn(), create: true });
    expect(a.keyId).not.toBe(b.keyId);
  });

  it('refuses a key file that group or others can read', () => {
    const keyFile = keyFileIn();
    createSecretBox({ env: {}, keyFile, create: true });
    chmodSync(keyFile, 0o644);
    expect(codeOf(() => createSecretBox({ env: {}, keyFile, create: true }))).toBe(
      `CONFIG_SECRET_KEY_EXPOSED: ${keyFile} is readable by group or others (mode 0644): run chmod 600 ${keyFile}.`,
    );
  });

  it('refuses keys that are not 32 bytes', () => {
    for (const bad of [
      'abc',
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('base64'),
      'not base64 at all!',
    ]) {
      expect(
        codeOf(() =>
          createSecretBox({ env: { CERTBILL_SECRET_KEY: bad }, keyFile: keyFileIn(), create: false }),
        ),
      ).toBe('CONFIG_SECRET_KEY: CERTBILL_SECRET_KEY is not 32 bytes in hex (64 digits) or base64.');
    }
    const keyFile = keyFileIn();
    createSecretBox({ env: {}, keyFile, create: true });
    writeFileSync(keyFile, '# current key first\nshort\n');
    expect(codeOf(() => createSecretBox({ env: {}, keyFile, create: false }))).toMatch(
      /^CONFIG_SECRET_KEY: .* is not 32 bytes/,
    );
  });

  it('tells a listener every secret it seals or opens, so logs can mask it', () => {
    const seen: string[] = [];
    const box = createSecretBox({
      env: { CERTBILL_SECRET_KEY: hexKey() },
      keyFile: keyFileIn(),
      create: false,
      onSecret: (plain) => seen.push(plain),
    });
    const sealed = box.seal('first-pw');
    box.open(sealed);
    expect(seen).toEqual(['first-pw', 'first-pw']);
  });
});
