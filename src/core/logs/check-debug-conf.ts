import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/index.ts';
import { parseDebugConf, type DebugConf } from './parse-debug-conf.ts';

/**
 * The strict start-up check of `<etcDir>/debug.conf`: throws `CONFIG_INVALID` listing every refused
 * line (at run time the same lines are only warned about). A missing file is fine.
 * @example checkDebugConf('./etc') // throws 'etc/debug.conf:2: "pmglobalsign.* 12" has no valid level: …'
 */
export function checkDebugConf(etcDir: string): DebugConf | undefined {
  const path = join(etcDir, 'debug.conf');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('CONFIG_INVALID', `Cannot read ${path}: ${(e as Error).message}`, { file: path });
  }
  const conf = parseDebugConf(text, path);
  if (conf.errors.length) {
    const errors = [...conf.errors];
    throw new AppError('CONFIG_INVALID', `Invalid ${path}:\n  ${errors.join('\n  ')}`, {
      file: path,
      errors,
    });
  }
  return conf;
}
