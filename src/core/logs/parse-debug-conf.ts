import { LOG_LEVELS, type LogLevel, type LogLevelName } from './module-logger.ts';

/** Level used for a module and facility no rule matches: 4, warnings and worse. */
export const DEFAULT_LOG_LEVEL: LogLevel = 4;
/** Size at which a log file is rotated when debug.conf has no `SET max_log_size`: 10 MiB. */
export const DEFAULT_MAX_LOG_SIZE = 10 * 1024 * 1024;

/** `pmglobalsign.* 9` → { module: 'pmglobalsign', facility: '*', level: 9, line } */
export interface DebugRule {
  readonly module: string;
  readonly facility: string;
  readonly level: LogLevel;
  readonly line: number;
}

export interface DebugConf {
  readonly rules: readonly DebugRule[];
  /** Bytes; 0 turns rotation off. */
  readonly maxLogSize: number;
  /** One sentence per refused line, `<path>:<line>: …`; those lines are ignored. */
  readonly errors: readonly string[];
}

const RULE_RE = /^([A-Za-z0-9_-]+|\*)\.([A-Za-z0-9_.:-]+|\*)\s+(\S+)$/;
const SET_RE = /^SET\s+([A-Za-z_]+)\s*(?:=|\s)\s*(.+)$/i;
const SIZE_RE = /^(\d+)\s*([KMG])?(?:i?B)?$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };
const LEVEL_WORDS = ['off', ...Object.keys(LOG_LEVELS)];

/**
 * Reads the platform's debug.conf. Lines: `<module>.<facility> <level>` where module and facility
 * may be `*` and level is 0..9 or its name (`off`, `notice` … `debug`); `SET max_log_size=<n>[K|M|G]`;
 * `#` comments. Refused lines are reported in `errors` and skipped, never thrown: the file is
 * re-read while the server runs.
 *
 * @example parseDebugConf('pmglobalsign.* 9\nSET max_log_size=5M', 'etc/debug.conf')
 *   → { rules: [{ module: 'pmglobalsign', facility: '*', level: 9, line: 1 }], maxLogSize: 5242880, errors: [] }
 */
export function parseDebugConf(text: string, path: string): DebugConf {
  const rules: DebugRule[] = [];
  const errors: string[] = [];
  let maxLogSize = DEFAULT_MAX_LOG_SIZE;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const content = raw
      .replace(/^\uFEFF/, '')
      .replace(/(^|\s)#.*$/, '')
      .trim();
    if (!content) return;
    const refuse = (why: string) => errors.push(`${path}:${line}: "${content}" ${why}`);
    const set = SET_RE.exec(content);
    if (set) {
      if (set[1]!.toLowerCase() !== 'max_log_size')
        return refuse('sets an unknown value: only max_log_size is known');
      const size = SIZE_RE.exec(set[2]!.trim());
      if (!size) return refuse('is not a size: use bytes, optionally with K, M or G (1024-based), e.g. 10M');
      maxLogSize = Number(size[1]) * SIZE_UNITS[(size[2] ?? '').toUpperCase()]!;
      return;
    }
    const rule = RULE_RE.exec(content);
    if (!rule) return refuse('is not a rule: use <module>.<facility> <level>, e.g. pmglobalsign.* 9');
    const level = parseLevel(rule[3]!);
    if (level === undefined) return refuse(`has no valid level: use 0..9 or ${LEVEL_WORDS.join(', ')}`);
    rules.push({ module: rule[1]!, facility: rule[2]!, level, line });
  });
  return { rules, maxLogSize, errors };
}

function parseLevel(word: string): LogLevel | undefined {
  if (/^[0-9]$/.test(word)) return Number(word) as LogLevel;
  const name = word.toLowerCase();
  if (name === 'off') return 0;
  return name in LOG_LEVELS ? LOG_LEVELS[name as LogLevelName] : undefined;
}

/**
 * The level in force for a module and facility: the most specific matching rule wins
 * (`module.facility` over `module.*` over `*.facility` over `*.*`); among equals the later line.
 * @example levelFor(parseDebugConf('*.* 3\npmglobalsign.* 9', p).rules, 'pmglobalsign', 'soap') → 9
 */
export function levelFor(rules: readonly DebugRule[], module: string, facility: string): LogLevel {
  let best: DebugRule | undefined;
  let bestScore = -1;
  for (const r of rules) {
    if ((r.module !== '*' && r.module !== module) || (r.facility !== '*' && r.facility !== facility))
      continue;
    const score = (r.module === '*' ? 0 : 2) + (r.facility === '*' ? 0 : 1);
    if (score >= bestScore) {
      best = r;
      bestScore = score;
    }
  }
  return best?.level ?? DEFAULT_LOG_LEVEL;
}
