import { isIP } from 'node:net';
import os from 'node:os';
import { AppError } from '../core/errors/index.ts';
import type { Database } from '../db/database.ts';
import type { ProvisioningSettings } from './provisioning-context.ts';

function invalid(field: string, message: string): AppError {
  return new AppError('PROVISIONING_INVALID_SETTINGS', message, { field });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A trimmed one-line text of 1..max characters, or PROVISIONING_INVALID_SETTINGS naming the field. */
export function readField(value: string | undefined | null, field: string, label: string, max = 200): string {
  const text = (value ?? '').trim();
  if (text === '') throw invalid(field, `${label} is required.`);
  if (text.length > max) throw invalid(field, `${label} is longer than ${max} characters.`);
  if (CONTROL.test(text)) throw invalid(field, `${label} contains control characters.`);
  return text;
}

/** The password as given (spaces are significant), 1..200 characters. */
export function readPassword(value: string | undefined | null): string {
  if (value === undefined || value === null || value === '')
    throw invalid('password', 'Password is required.');
  if (value.length > 200) throw invalid('password', 'Password is longer than 200 characters.');
  if (CONTROL.test(value)) throw invalid('password', 'Password contains control characters.');
  return value;
}

export function readUrl(value: string | undefined | null): string | null {
  const text = (value ?? '').trim();
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(
      'url',
      `URL "${text}" is not an absolute URL such as https://test-gcc.globalsign.com/kb/ws/v1/.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalid('url', `URL "${text}" must use http or https.`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

export function readSort(value: number | string | undefined | null): number {
  if (value === undefined || value === null || value === '') return 1;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw invalid(
      'sort',
      `Sort must be a whole number from 0 to 1000000 (lowest is tried first); got "${value}".`,
    );
  }
  return n;
}

/** The defaults of a module's timeouts, in seconds, when it sets none. */
export const DEFAULT_MODULE_TIMEOUTS = { connectSeconds: 10, readSeconds: 60 } as const;

/**
 * A module timeout in whole seconds (1..300 to connect, 1..600 to read); empty or null = the
 * default (null is returned).
 * @example readTimeoutSeconds('30', 'readTimeout', 'Read timeout', 600) → 30
 */
export function readTimeoutSeconds(
  value: number | string | undefined | null,
  field: 'connectTimeout' | 'readTimeout',
  label: string,
  max: number,
): number | null {
  if (value === undefined || value === null || String(value).trim() === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalid(field, `${label} must be a whole number of seconds from 1 to ${max}; got "${value}".`);
  }
  return n;
}

/** A minimal balance as given (a non-negative decimal); converted once the account's currency is known. */
export function readMinBalance(value: string | undefined | null): string | null {
  const text = (value ?? '').trim();
  if (text === '') return null;
  if (!/^\d{1,13}(\.\d{1,3})?$/.test(text)) {
    throw invalid(
      'minBalance',
      `Processing module minimal balance must be a non-negative amount such as 500 or 500.00; got "${text}".`,
    );
  }
  return text;
}

/**
 * This host's addresses, the choices of "IP address" (link-local IPv6 left out: it needs a zone).
 * @example hostAddresses() → ['127.0.0.1', '::1', '203.0.113.5']
 */
export function hostAddresses(settings?: ProvisioningSettings): string[] {
  if (settings?.hostAddresses) return [...settings.hostAddresses()];
  const out: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!/^fe80:/i.test(a.address)) out.push(a.address);
  }
  return [...new Set(out)];
}

/** `none` (or nothing) = any address; otherwise one of this host's addresses. */
export function readSourceAddress(
  value: string | undefined | null,
  settings?: ProvisioningSettings,
): string | null {
  const text = (value ?? '').trim();
  if (text === '' || text.toLowerCase() === 'none') return null;
  if (isIP(text) === 0)
    throw invalid('sourceAddress', `IP address "${text}" is not an IPv4 or IPv6 address (or "none").`);
  const own = hostAddresses(settings);
  if (!own.includes(text)) {
    throw invalid(
      'sourceAddress',
      `IP address ${text} is not an address of this server; choose one of ${own.join(', ')} or "none".`,
    );
  }
  return text;
}

/** A department by id or by name; null when none is given. */
export async function resolveDepartment(
  db: Database,
  value: string | number | undefined | null,
): Promise<number | null> {
  if (value === undefined || value === null || String(value).trim() === '') return null;
  const text = String(value).trim();
  const q = db.kysely.selectFrom('departments').select(['id', 'name']);
  const row = /^\d+$/.test(text)
    ? await q.where('id', '=', Number(text)).executeTakeFirst()
    : await q.where('name', '=', text).executeTakeFirst();
  if (!row) {
    throw new AppError(
      'PROVISIONING_DEPARTMENT_NOT_FOUND',
      `There is no department "${text}"; create it first or pick another.`,
      {
        field: 'department',
        department: text,
      },
    );
  }
  return Number(row.id);
}
