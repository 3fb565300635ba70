import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors/index.ts';
import { LOG_LEVELS, type LogLevelName } from './module-logger.ts';

/** How much of the end of a log file is read by default. */
export const DEFAULT_LOG_TAIL_BYTES = 256 * 1024;

const MODULE_FILE = /^([a-z0-9][a-z0-9_-]*)\.log$/;
const LINE = /^(\S+) \[(\d+)\] (\S+) ([A-Z]+) (.*)$/;

/** One line of a module log, as `formatLogLine` wrote it (`level` null for a line in another shape). */
export interface LogEntry {
  readonly at: string | null;
  readonly pid: number | null;
  readonly facility: string | null;
  readonly level: LogLevelName | null;
  readonly message: string;
}

export interface LogTail {
  readonly module: string;
  /** Oldest first, newest last. */
  readonly entries: readonly LogEntry[];
  /** The file's size in bytes (0 when it does not exist yet). */
  readonly size: number;
  /** Bytes read from the end of the file. */
  readonly readBytes: number;
  /** Older lines were left out: the file is longer than what was read. */
  readonly truncated: boolean;
}

/**
 * The module logs in `dir` (one `<module>.log` each; rotated copies left out), sorted by name.
 * @example await listLogModules('./var/log') → ['certbill', 'pmglobalsign']
 */
export async function listLogModules(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .map((n) => MODULE_FILE.exec(n)?.[1])
    .filter((m): m is string => m !== undefined)
    .sort();
}

/** A level name of debug.conf, or undefined for anything else. */
export function logLevelNamed(value: string | undefined): LogLevelName | undefined {
  return value !== undefined && Object.hasOwn(LOG_LEVELS, value) ? (value as LogLevelName) : undefined;
}

/**
 * The last `maxBytes` of `<dir>/<module>.log` as entries, newest last, never reading more of the
 * file than that; with `level`, only entries of that level or more severe (`warning` keeps notices,
 * critical messages, errors and warnings). The first, partial line of the piece read is dropped.
 * Secrets were masked when the lines were written.
 *
 * @example await readLogTail('./var/log', 'pmglobalsign', { level: 'error' })
 *   → { module: 'pmglobalsign', entries: [{ at: '2026-04-02T12:00:00.000Z', pid: 4242, facility: 'soap', level: 'error', message: 'DVOrder failed' }], size: 5120, readBytes: 5120, truncated: false }
 */
export async function readLogTail(
  dir: string,
  module: string,
  options: { readonly maxBytes?: number; readonly level?: LogLevelName } = {},
): Promise<LogTail> {
  if (!MODULE_FILE.test(`${module}.log`)) {
    throw new AppError('CORE_NOT_FOUND', `There is no module log "${module}".`, { module });
  }
  const maxBytes = options.maxBytes ?? DEFAULT_LOG_TAIL_BYTES;
  let file;
  try {
    file = await open(join(dir, `${module}.log`), 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { module, entries: [], size: 0, readBytes: 0, truncated: false };
    }
    throw e;
  }
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const r = await file.read(buffer, read, buffer.length - read, start + read);
      if (r.bytesRead === 0) break;
      read += r.bytesRead;
    }
    let text = buffer.subarray(0, read).toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    const limit = options.level === undefined ? undefined : LOG_LEVELS[options.level];
    const entries = text
      .split('\n')
      .filter((line) => line !== '')
      .map(parseLine)
      .filter((e) => limit === undefined || (e.level !== null && LOG_LEVELS[e.level] <= limit));
    return { module, entries, size, readBytes: read, truncated: start > 0 };
  } finally {
    await file.close();
  }
}

function parseLine(line: string): LogEntry {
  const m = LINE.exec(line);
  const level = m ? logLevelNamed(m[4]!.toLowerCase()) : undefined;
  if (!m || level === undefined) return { at: null, pid: null, facility: null, level: null, message: line };
  return { at: m[1]!, pid: Number(m[2]), facility: m[3]!, level, message: m[5]! };
}
