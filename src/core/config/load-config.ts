import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/index.ts';
import { closestNames } from './closest-names.ts';
import { CONFIG_OPTIONS, OPTION_KEYS, displayValue, type Config, type OptionKey } from './config-options.ts';
import { envVariablesFor, type OptionSource } from './option-source.ts';
import { listOr } from './option-spec.ts';
import { parseConfLines } from './parse-conf-lines.ts';

export interface LoadedConfig {
  readonly config: Config;
  readonly sources: Readonly<Record<OptionKey, OptionSource>>;
  /** The file read (or looked for: a missing file means all defaults). */
  readonly file: { readonly path: string; readonly exists: boolean };
}

export interface LoadConfigInput {
  /** Defaults to `CERTBILL_ETC` from `env`, then `./etc`. */
  readonly etcDir?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const NAME_TO_KEY = new Map(OPTION_KEYS.map((k) => [CONFIG_OPTIONS[k].name, k]));
const KNOWN_NAMES = OPTION_KEYS.map((k) => CONFIG_OPTIONS[k].name);

/**
 * Reads `<etcDir>/certbill.conf` and the environment once, at start, into a frozen typed object.
 * Precedence: default < file < environment. Every problem is collected and thrown together as
 * `CONFIG_INVALID` (message: one line per problem; `details.errors`: the same lines).
 *
 * @example
 *   // etc/certbill.conf line 3: "SSLSubscriptionBefore 300"
 *   loadConfig({ env: process.env });
 *   // throws CONFIG_INVALID "etc/certbill.conf:3: SSLSubscriptionBefore 300 is out of range: allowed 1..200 days"
 */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const etcDir = input.etcDir ?? (input.env['CERTBILL_ETC'] || './etc');
  const path = join(etcDir, 'certbill.conf');
  const text = readOptional(path);
  const errors: string[] = [];
  const values = new Map<OptionKey, unknown>();
  const sources = new Map<OptionKey, OptionSource>();

  for (const key of OPTION_KEYS) {
    const d = CONFIG_OPTIONS[key].defaultValue;
    values.set(key, typeof d === 'function' ? d({ etcDir }) : d);
    sources.set(key, { kind: 'default' });
  }

  if (text !== undefined) {
    const { entries, problems } = parseConfLines(text);
    for (const p of problems) errors.push(`${path}:${p.line}: ${p.message}`);
    const seenOn = new Map<OptionKey, number>();
    for (const entry of entries) {
      const where = `${path}:${entry.line}`;
      const key = NAME_TO_KEY.get(entry.name);
      if (!key) {
        errors.push(`${where}: ${unknownOption(entry.name)}`);
        continue;
      }
      const first = seenOn.get(key);
      if (first !== undefined) {
        errors.push(`${where}: ${entry.name} is set twice: first on line ${first}; keep one`);
        continue;
      }
      seenOn.set(key, entry.line);
      const problem = apply(key, entry.value, values);
      if (problem) errors.push(`${where}: ${problem}`);
      else sources.set(key, { kind: 'file', path, line: entry.line });
    }
  }

  for (const key of OPTION_KEYS) {
    const variable = envVariablesFor(key).find((v) => input.env[v]);
    if (!variable) continue;
    const problem = apply(key, input.env[variable]!.trim(), values);
    if (problem) errors.push(`${variable} (environment): ${problem}`);
    else sources.set(key, { kind: 'env', variable });
  }

  if (!errors.length) errors.push(...crossChecks(values, sources, path));
  if (errors.length) {
    const message =
      errors.length === 1
        ? `Invalid configuration: ${errors[0]}`
        : `Invalid configuration (${errors.length} errors):\n  ${errors.join('\n  ')}`;
    throw new AppError('CONFIG_INVALID', message, { file: path, errors });
  }

  return Object.freeze({
    config: Object.freeze(Object.fromEntries(values)) as Config,
    sources: Object.freeze(Object.fromEntries(sources)) as Record<OptionKey, OptionSource>,
    file: Object.freeze({ path, exists: text !== undefined }),
  });
}

/** Parses one raw value into `values`; returns the problem sentence if refused. */
function apply(key: OptionKey, raw: string | undefined, values: Map<OptionKey, unknown>): string | undefined {
  const spec = CONFIG_OPTIONS[key];
  if (raw === undefined) {
    if (spec.flag) {
      values.set(key, true);
      return undefined;
    }
    return `${spec.name} needs a value: allowed ${spec.allowed}`;
  }
  const outcome = spec.parse(raw);
  if (outcome.ok) {
    values.set(key, outcome.value);
    return undefined;
  }
  const shown = displayValue(key, raw);
  return `${spec.name} ${/^[+-]?\d+$/.test(raw) ? shown : JSON.stringify(shown)} ${outcome.problem}`;
}

function unknownOption(name: string): string {
  const near = closestNames(name, KNOWN_NAMES);
  if (near.length) {
    const sameLetters = near.find((n) => n.toLowerCase() === name.toLowerCase());
    const hint = sameLetters ? ' (option names are case-sensitive)' : '';
    return `${name} is not a known option: did you mean ${listOr(near)}?${hint}`;
  }
  return `${name} is not a known option: known options are ${KNOWN_NAMES.join(', ')}`;
}

function crossChecks(
  values: Map<OptionKey, unknown>,
  sources: Map<OptionKey, OptionSource>,
  path: string,
): string[] {
  const port = values.get('demoSimulatorPort');
  if (!values.get('demoSimulator') || port !== values.get('listenPort')) return [];
  const source = sources.get('demoSimulatorPort');
  const blamed = source?.kind === 'default' ? sources.get('listenPort') : source;
  const where =
    blamed?.kind === 'file'
      ? `${path}:${blamed.line}`
      : blamed?.kind === 'env'
        ? `${blamed.variable} (environment)`
        : path;
  return [
    `${where}: DemoSimulatorPort ${String(port)} is the same as ListenPort: the built-in simulator needs its own port`,
  ];
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CONFIG_INVALID', `Cannot read ${path}: ${(e as Error).message}`, { file: path });
  }
}
