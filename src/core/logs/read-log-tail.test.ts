import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLogLine } from './format-log-line.ts';
import { listLogModules, readLogTail } from './read-log-tail.ts';

const at = new Date('2026-04-02T12:00:00Z');

function logDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'certbill-tail-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readLogTail', () => {
  it('lists the module logs without their rotated copies', async () => {
    const dir = logDir({ 'certbill.log': '', 'certbill.log.1': '', 'pmglobalsign.log': '', 'notes.txt': '' });
    expect(await listLogModules(dir)).toEqual(['certbill', 'pmglobalsign']);
    expect(await listLogModules(join(dir, 'missing'))).toEqual([]);
  });

  it('parses the entries, newest last, and keeps the ones at the level asked or more severe', async () => {
    const dir = logDir({
      'pmglobalsign.log':
        formatLogLine(at, 7, 'soap', 'request', 'DVOrder 120ms') +
        formatLogLine(at, 7, 'soap', 'error', 'DVOrder failed -4001') +
        formatLogLine(at, 7, 'http', 'warning', 'slow answer') +
        'a line in another shape\n',
    });
    const all = await readLogTail(dir, 'pmglobalsign');
    expect(all.entries.map((e) => e.level)).toEqual(['request', 'error', 'warning', null]);
    expect(all.entries[1]).toEqual({
      at: '2026-04-02T12:00:00.000Z',
      pid: 7,
      facility: 'soap',
      level: 'error',
      message: 'DVOrder failed -4001',
    });
    const warnings = await readLogTail(dir, 'pmglobalsign', { level: 'warning' });
    expect(warnings.entries.map((e) => e.message)).toEqual(['DVOrder failed -4001', 'slow answer']);
    expect((await readLogTail(dir, 'pmglobalsign', { level: 'error' })).entries).toHaveLength(1);
  });

  it('reads only the end of a large file and drops the partial first line', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      formatLogLine(at, 1, 'jobs', 'debug', `entry ${i}`),
    ).join('');
    const dir = logDir({ 'certbill.log': lines });
    const tail = await readLogTail(dir, 'certbill', { maxBytes: 1000 });
    expect(tail.readBytes).toBe(1000);
    expect(tail.truncated).toBe(true);
    expect(tail.size).toBe(Buffer.byteLength(lines));
    expect(tail.entries.at(-1)?.message).toBe('entry 4999');
    expect(tail.entries.every((e) => e.level === 'debug')).toBe(true);
    expect(tail.entries.length).toBeLessThan(1000 / 40);
  });

  it('answers an empty tail for a log not written yet and refuses a name that is not a module', async () => {
    const dir = logDir({});
    expect(await readLogTail(dir, 'pmglobalsign')).toMatchObject({ entries: [], size: 0 });
    await expect(readLogTail(dir, '../etc/passwd')).rejects.toThrow('There is no module log');
  });
});
