import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { checkDebugConf } from './check-debug-conf.ts';
import { DEFAULT_MAX_LOG_SIZE, levelFor, parseDebugConf } from './parse-debug-conf.ts';

const P = 'etc/debug.conf';

describe('parseDebugConf', () => {
  it('reads rules, comments and levels by number or name', () => {
    const conf = parseDebugConf(
      '# levels\n\npmglobalsign.* 9  # everything\ncertbill.http extended\n*.* off\n',
      P,
    );
    expect(conf.errors).toEqual([]);
    expect(conf.rules).toEqual([
      { module: 'pmglobalsign', facility: '*', level: 9, line: 3 },
      { module: 'certbill', facility: 'http', level: 6, line: 4 },
      { module: '*', facility: '*', level: 0, line: 5 },
    ]);
    expect(conf.maxLogSize).toBe(DEFAULT_MAX_LOG_SIZE);
  });

  it.each([
    ['SET max_log_size=1048576', 1048576],
    ['SET max_log_size=512K', 512 * 1024],
    ['SET max_log_size = 5M', 5 * 1024 ** 2],
    ['set max_log_size=1GiB', 1024 ** 3],
    ['SET max_log_size=0', 0],
  ])('reads the size in %j', (line, bytes) => {
    expect(parseDebugConf(line, P).maxLogSize).toBe(bytes);
  });

  it('reports each refused line with file and line and keeps the good ones', () => {
    const conf = parseDebugConf(
      'pmglobalsign 9\npmglobalsign.* 12\nSET max_log_size=big\nSET colour=red\ncertbill.* 5',
      P,
    );
    expect(conf.errors).toEqual([
      'etc/debug.conf:1: "pmglobalsign 9" is not a rule: use <module>.<facility> <level>, e.g. pmglobalsign.* 9',
      expect.stringMatching(
        /^etc\/debug.conf:2: "pmglobalsign.\* 12" has no valid level: use 0..9 or off, notice/,
      ),
      expect.stringMatching(/^etc\/debug.conf:3: .* is not a size/),
      expect.stringMatching(/^etc\/debug.conf:4: .* only max_log_size is known/),
    ]);
    expect(conf.rules).toEqual([{ module: 'certbill', facility: '*', level: 5, line: 5 }]);
  });
});

describe('levelFor', () => {
  const rules = parseDebugConf(
    ['*.* 3', '*.soap 5', 'pmglobalsign.* 6', 'pmglobalsign.soap 9', 'certbill.* 2', 'certbill.* 7'].join(
      '\n',
    ),
    P,
  ).rules;

  it('lets the most specific rule win', () => {
    expect(levelFor(rules, 'pmglobalsign', 'soap')).toBe(9);
    expect(levelFor(rules, 'pmglobalsign', 'http')).toBe(6);
    expect(levelFor(rules, 'other', 'soap')).toBe(5);
    expect(levelFor(rules, 'other', 'http')).toBe(3);
  });

  it('lets the later of two equal rules win', () => {
    expect(levelFor(rules, 'certbill', 'jobs')).toBe(7);
  });

  it('falls back to warnings when no rule matches', () => {
    expect(levelFor([], 'certbill', 'http')).toBe(4);
  });
});

describe('checkDebugConf', () => {
  it('refuses a bad debug.conf at start with every problem listed', () => {
    const etcDir = mkdtempSync(join(tmpdir(), 'certbill-debug-'));
    writeFileSync(join(etcDir, 'debug.conf'), 'pmglobalsign.* 12\nfoo\n');
    try {
      checkDebugConf(etcDir);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('CONFIG_INVALID');
      expect((e as AppError).details['errors']).toHaveLength(2);
      expect((e as AppError).message).toContain('debug.conf:2: "foo"');
    }
  });

  it('accepts a missing or valid debug.conf', () => {
    const etcDir = mkdtempSync(join(tmpdir(), 'certbill-debug-'));
    expect(checkDebugConf(etcDir)).toBeUndefined();
    writeFileSync(join(etcDir, 'debug.conf'), 'pmglobalsign.* 9\n');
    expect(checkDebugConf(etcDir)?.rules).toHaveLength(1);
  });
});
