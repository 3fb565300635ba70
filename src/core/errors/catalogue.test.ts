import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_KINDS, httpStatusOf } from './index.ts';
import { ERROR_CATALOGUE } from './catalogue.ts';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/errors.md'), 'utf8');
const documented = new Map(
  [...doc.matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \|/gm)].map((m) => [m[1] as string, m[2] as string]),
);

describe('error catalogue', () => {
  it('documents every code in docs/errors.md with its kind', () => {
    const missing = Object.entries(ERROR_CATALOGUE)
      .filter(([code, e]) => documented.get(code) !== e.kind)
      .map(([code, e]) => `${code} (${e.kind})`);
    expect(missing).toEqual([]);
  });

  it('documents no code that the catalogue does not have', () => {
    const stale = [...documented.keys()].filter((c) => !(c in ERROR_CATALOGUE));
    expect(stale).toEqual([]);
  });

  it('maps every kind to an HTTP error status', () => {
    for (const kind of ERROR_KINDS) {
      expect(httpStatusOf(kind)).toBeGreaterThanOrEqual(400);
      expect(doc).toContain(kind);
    }
  });

  it('gives each AppError the kind of its code and a JSON body without empty details', () => {
    const e = new AppError('MONEY_INVALID_CURRENCY', 'bad currency');
    expect(e.kind).toBe('validation');
    expect(httpStatusOf(e.kind)).toBe(400);
    expect(e.toJSON()).toEqual({ code: 'MONEY_INVALID_CURRENCY', message: 'bad currency' });
    expect(new AppError('CORE_NOT_FOUND', 'x', { id: 3 }).toJSON()).toEqual({
      code: 'CORE_NOT_FOUND',
      message: 'x',
      details: { id: 3 },
    });
  });
});
