export {
  LOG_LEVELS,
  nullLogger,
  type LogLevel,
  type LogLevelName,
  type ModuleLogger,
} from './module-logger.ts';
export { createLogRegistry, type LogRegistry, type LogRegistryOptions } from './log-registry.ts';
export {
  parseDebugConf,
  levelFor,
  DEFAULT_LOG_LEVEL,
  DEFAULT_MAX_LOG_SIZE,
  type DebugConf,
  type DebugRule,
} from './parse-debug-conf.ts';
export { checkDebugConf } from './check-debug-conf.ts';
export { Redactor } from './redactor.ts';
export { formatLogLine } from './format-log-line.ts';
