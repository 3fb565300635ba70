import { AppError } from '../core/errors/index.ts';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A required one-line text field, trimmed.
 * @example readText('  Example Ltd ', 'name') → 'Example Ltd'
 */
export function readText(value: string | undefined, field: string, maxLength = 200): string {
  const text = (value ?? '').trim();
  if (text === '' || text.length > maxLength || hasControlCharacter(text)) {
    throw new AppError(
      'BILLING_INVALID_INPUT',
      `The ${field} must be 1 to ${maxLength} characters on one line; got ${JSON.stringify(value ?? '')}.`,
      { field },
    );
  }
  return text;
}

/**
 * An e-mail address, trimmed and lowercased.
 * @example readEmail('Ann@Example.COM') → 'ann@example.com'
 */
export function readEmail(value: string | undefined, field = 'e-mail address'): string {
  const email = readText(value, field, 254).toLowerCase();
  if (!EMAIL_RE.test(email)) {
    throw new AppError(
      'BILLING_INVALID_INPUT',
      `The ${field} "${email}" is not an e-mail address like ann@example.com.`,
      {
        field,
      },
    );
  }
  return email;
}

/**
 * A positive whole-number id from a path, flag or body.
 * @example readId('42', 'client id') → 42
 */
export function readId(value: string | number, field: string): number {
  const n = typeof value === 'number' ? value : /^\s*\d{1,15}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new AppError(
      'BILLING_INVALID_INPUT',
      `The ${field} must be a positive whole number; got ${JSON.stringify(value)}.`,
      {
        field,
      },
    );
  }
  return n;
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
