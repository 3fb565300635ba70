import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDebugConf } from '../logs/parse-debug-conf.ts';
import { CONFIG_OPTIONS, OPTION_KEYS } from './config-options.ts';
import { loadConfig } from './load-config.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the shipped example files', () => {
  it('show every option, and are valid once every setting is uncommented', () => {
    const example = readFileSync(join(ROOT, 'etc', 'certbill.conf.example'), 'utf8');
    const names = new Set(OPTION_KEYS.map((k) => CONFIG_OPTIONS[k].name));
    const settings = example
      .split('\n')
      .map((l) => l.replace(/^# /, ''))
      .filter((l) => names.has(l.split(' ')[0]!) || (l.startsWith('Option ') && names.has(l.split(' ')[1]!)));
    const etcDir = mkdtempSync(join(tmpdir(), 'certbill-example-'));
    writeFileSync(join(etcDir, 'certbill.conf'), settings.join('\n'));
    const { sources } = loadConfig({ etcDir, env: {} });
    expect(OPTION_KEYS.filter((k) => sources[k].kind !== 'file')).toEqual([]);
  });

  it('documents every option in docs/configuration.md', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    expect(OPTION_KEYS.map((k) => CONFIG_OPTIONS[k].name).filter((n) => !doc.includes(`| \`${n}\``))).toEqual(
      [],
    );
  });

  it('ships a debug.conf example without errors', () => {
    const text = readFileSync(join(ROOT, 'etc', 'debug.conf.example'), 'utf8');
    expect(parseDebugConf(text, 'etc/debug.conf.example')).toMatchObject({
      errors: [],
      maxLogSize: 10 * 1024 ** 2,
    });
  });
});
