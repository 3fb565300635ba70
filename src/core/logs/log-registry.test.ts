import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestClock } from '../clock.ts';
import { createLogRegistry } from './log-registry.ts';

function setup(debugConf?: string) {
  const root = mkdtempSync(join(tmpdir(), 'certbill-logs-'));
  const etcDir = join(root, 'etc');
  const dir = join(root, 'var', 'log');
  mkdirSync(etcDir);
  const clock = new TestClock('2026-04-02T12:00:00Z');
  const editDebugConf = (text: string, mtime = clock.now()) => {
    writeFileSync(join(etcDir, 'debug.conf'), text);
    utimesSync(join(etcDir, 'debug.conf'), mtime, mtime);
  };
  if (debugConf !== undefined) editDebugConf(debugConf);
  const registry = createLogRegistry({ dir, etcDir, clock, pid: 4242 });
  const read = (module: string) => readFileSync(join(dir, `${module}.log`), 'utf8');
  return { dir, clock, registry, editDebugConf, read };
}

describe('createLogRegistry', () => {
  it('writes one file per module with timestamp, pid, facility and level name', () => {
    const { registry, read } = setup();
    registry.logger('pmglobalsign').write('error', 'soap', 'DVOrder failed');
    registry.logger('certbill').write('warning', 'jobs', 'late');
    expect(read('pmglobalsign')).toBe('2026-04-02T12:00:00.000Z [4242] soap ERROR DVOrder failed\n');
    expect(read('certbill')).toBe('2026-04-02T12:00:00.000Z [4242] jobs WARNING late\n');
  });

  it('keeps a multi-line message on one line', () => {
    const { registry, read } = setup();
    registry.logger('certbill').write('error', 'http', 'first\nsecond\r\nthird\u0007');
    expect(read('certbill')).toBe(
      '2026-04-02T12:00:00.000Z [4242] http ERROR first\\nsecond\\r\\nthird\\x07\n',
    );
  });

  it('drops what is above the level in force and writes warnings by default', () => {
    const { registry, read } = setup('pmglobalsign.soap 9\n');
    const cb = registry.logger('certbill');
    expect(cb.enabled('warning', 'http')).toBe(true);
    expect(cb.enabled('request', 'http')).toBe(false);
    cb.write('request', 'http', 'GET /');
    cb.write('warning', 'http', 'slow');
    expect(read('certbill')).not.toContain('GET /');
    expect(registry.logger('pmglobalsign').enabled('debug', 'soap')).toBe(true);
    expect(registry.logger('pmglobalsign').enabled('debug', 'http')).toBe(false);
  });

  it('returns the same logger for a module and refuses names that are not file names', () => {
    const { registry } = setup();
    expect(registry.logger('pmglobalsign')).toBe(registry.logger('pmglobalsign'));
    expect(() => registry.logger('../etc/passwd')).toThrow(RangeError);
  });

  it('follows an edit of debug.conf without recreating the logger, looking at most once a second', () => {
    const { registry, clock, editDebugConf } = setup('pmglobalsign.* 3\n');
    const log = registry.logger('pmglobalsign');
    expect(log.enabled('debug', 'soap')).toBe(false);
    clock.advanceMs(1500);
    editDebugConf('pmglobalsign.* 9\n', new Date('2026-04-02T12:00:02Z'));
    expect(log.enabled('debug', 'soap')).toBe(true);
    editDebugConf('pmglobalsign.* 1\n', new Date('2026-04-02T12:00:03Z'));
    clock.advanceMs(500);
    expect(log.enabled('debug', 'soap')).toBe(true);
    clock.advanceMs(500);
    expect(log.enabled('debug', 'soap')).toBe(false);
  });

  it('warns once in certbill.log about a bad debug.conf line and keeps running', () => {
    const { registry, clock, read, editDebugConf } = setup('pmglobalsign.* 12\ncertbill.* 4\n');
    const log = registry.logger('pmglobalsign');
    expect(log.enabled('error', 'soap')).toBe(true);
    clock.advanceMs(5000);
    log.write('error', 'soap', 'x');
    expect(read('certbill').match(/has no valid level/g)).toHaveLength(1);
    expect(read('certbill')).toContain('log WARNING');
    editDebugConf('pmglobalsign.* 12\ncertbill.* 4\n# touched\n', new Date('2026-04-02T12:00:10Z'));
    clock.advanceMs(5000);
    log.write('error', 'soap', 'y');
    expect(read('certbill').match(/has no valid level/g)).toHaveLength(1);
  });

  it('rotates at max_log_size and keeps five older files', () => {
    const { registry, dir, read } = setup('SET max_log_size=200\ncertbill.* 9\n');
    const log = registry.logger('certbill');
    const entry = (i: number) => `entry ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`;
    for (let i = 1; i <= 24; i++) log.write('debug', 'jobs', entry(i));
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').trim().split('\n');
    expect(lines('certbill.log').length).toBe(2);
    expect(read('certbill')).toContain(entry(24));
    expect(lines('certbill.log.1').join('\n')).toContain(entry(22));
    for (const n of [1, 2, 3, 4, 5]) {
      expect(readFileSync(join(dir, `certbill.log.${n}`)).length).toBeLessThanOrEqual(200);
    }
    expect(() => readFileSync(join(dir, 'certbill.log.6'))).toThrow();
    expect(lines('certbill.log.5').join('\n')).toContain(entry(14));
    expect(lines('certbill.log.5').join('\n')).not.toContain(entry(12));
  });

  it('drops writes after close', () => {
    const { registry, read } = setup();
    const log = registry.logger('certbill');
    log.write('error', 'x', 'before');
    registry.close();
    log.write('error', 'x', 'after');
    expect(read('certbill')).not.toContain('after');
  });
});
