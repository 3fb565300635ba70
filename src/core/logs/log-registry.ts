import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { DebugConfWatcher } from './debug-conf-watcher.ts';
import { formatLogLine } from './format-log-line.ts';
import { LOG_LEVELS, type LogLevelName, type ModuleLogger } from './module-logger.ts';
import { levelFor } from './parse-debug-conf.ts';
import { Redactor } from './redactor.ts';
import { RotatingLogFile } from './rotating-log-file.ts';

export interface LogRegistryOptions {
  /** Folder of the log files (config `LogDir`); created if missing. */
  readonly dir: string;
  /** Folder holding debug.conf (`CERTBILL_ETC`). */
  readonly etcDir: string;
  readonly clock: Clock;
  /** Written in every line; defaults to this process's id. */
  readonly pid?: number;
}

export interface LogRegistry {
  /** The logger writing `<dir>/<module>.log`; one per module, created on first use. */
  logger(module: string): ModuleLogger;
  /** Masks this exact value in every log of the registry from now on (min. 4 characters). */
  registerSecret(value: string): void;
  /** Later writes are dropped. */
  close(): void;
}

const MODULE_RE = /^[a-z0-9][a-z0-9_-]*$/;

/**
 * The per-module logs of one process, sharing one debug.conf (re-read while running) and one set of
 * secrets to mask. Problems found in debug.conf are written once to certbill.log as warnings.
 *
 * @example
 *   const logs = createLogRegistry({ dir: config.logDir, etcDir: './etc', clock });
 *   logs.logger('pmglobalsign').write('request', 'soap', 'DVOrder order=CE2026 120ms success=0');
 *   // var/log/pmglobalsign.log: 2026-04-02T12:00:00.000Z [4242] soap REQUEST DVOrder order=CE2026 120ms success=0
 */
export function createLogRegistry(options: LogRegistryOptions): LogRegistry {
  mkdirSync(options.dir, { recursive: true });
  const pid = options.pid ?? process.pid;
  const redactor = new Redactor();
  const loggers = new Map<string, ModuleLogger>();
  let closed = false;

  const watcher = new DebugConfWatcher(join(options.etcDir, 'debug.conf'), options.clock, (problems) => {
    const log = get('certbill');
    for (const p of problems) log.write('warning', 'log', `${p}; the line is ignored`);
  });

  function get(module: string): ModuleLogger {
    const existing = loggers.get(module);
    if (existing) return existing;
    if (!MODULE_RE.test(module)) throw new RangeError(`log module "${module}" must match ${MODULE_RE}`);
    const file = new RotatingLogFile(join(options.dir, `${module}.log`));
    let failed = false;
    const enabled = (level: LogLevelName, facility: string): boolean =>
      !closed && LOG_LEVELS[level] <= levelFor(watcher.current().rules, module, facility);
    const logger: ModuleLogger = {
      module,
      enabled,
      write(level, facility, message) {
        if (!enabled(level, facility)) return;
        const line = formatLogLine(
          options.clock.now(),
          pid,
          redactor.redact(facility),
          level,
          redactor.redact(message),
        );
        try {
          file.append(line, watcher.current().maxLogSize);
          failed = false;
        } catch (e) {
          // A full disk must not fail the operation being logged; say it once, not per entry.
          if (!failed) process.stderr.write(`certbill: cannot write ${file.path}: ${(e as Error).message}\n`);
          failed = true;
        }
      },
    };
    loggers.set(module, logger);
    return logger;
  }

  return {
    logger: get,
    registerSecret: (value) => redactor.registerSecret(value),
    close: () => {
      closed = true;
    },
  };
}
