/**
 * Levels of the platform's debug.conf: 0 off … 9 everything.
 * 1 notices, 2 critical, 3 errors, 4 warnings, 5 request info, 6 extended info,
 * 7 remote notifications, 8 tracing, 9 debug (full API requests and responses).
 */
export const LOG_LEVELS = {
  notice: 1,
  critical: 2,
  error: 3,
  warning: 4,
  request: 5,
  extended: 6,
  remote: 7,
  trace: 8,
  debug: 9,
} as const;
export type LogLevelName = keyof typeof LOG_LEVELS;
export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/**
 * What code writes to: one logger per module log file (`certbill`, `pmglobalsign`, …). The facility
 * names the part of the module (`soap`, `http`, `jobs`). Messages are redacted before they are
 * written, at every level, so a password or private key passed by mistake never reaches the file.
 *
 * @example
 *   log.write('request', 'soap', `DVOrder order=${id} 120ms success=0`);
 *   if (log.enabled('debug', 'soap')) log.write('debug', 'soap', requestXml);
 */
export interface ModuleLogger {
  readonly module: string;
  enabled(level: LogLevelName, facility: string): boolean;
  write(level: LogLevelName, facility: string, message: string): void;
}

/** A logger that drops everything (tests and tools that do not care). */
export const nullLogger: ModuleLogger = {
  module: 'null',
  enabled: () => false,
  write: () => undefined,
};
