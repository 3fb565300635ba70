import { AppError, isAppError } from '../core/errors/index.ts';

export interface OutputOptions {
  json?: boolean;
}

/** Exit codes: 0 ok, 1 an operation failed (e.g. a CA refused), 2 bad input or configuration. */
export function exitCodeFor(e: unknown): number {
  if (isAppError(e)) return e.kind === 'validation' || e.kind === 'config' || e.kind === 'not_found' ? 2 : 1;
  return 1;
}

/**
 * Wraps a command action: prints the result (JSON under --json, else `human(result)`), and turns
 * errors into the stable `{"error":{"code","message"}}` shape or a one-line message, with a
 * non-zero exit code.
 */
export function withOutput<O extends OutputOptions, R>(
  run: (opts: O, ...args: string[]) => Promise<R> | R,
  human: (result: R) => string = (r) => JSON.stringify(r, null, 2),
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // commander passes positional arguments first, then the options object, then the Command.
    const positional = args.slice(0, -2) as string[];
    const opts = (args[args.length - 2] ?? {}) as O;
    try {
      const result = await run(opts, ...positional);
      if (result === undefined) return;
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : human(result) + '\n');
    } catch (e) {
      printError(e, Boolean(opts.json));
      process.exitCode = exitCodeFor(e);
    }
  };
}

export function printError(e: unknown, json: boolean): void {
  const code = isAppError(e) ? e.code : 'CORE_INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  if (json) process.stdout.write(JSON.stringify({ error: { code, message } }) + '\n');
  else process.stderr.write(`certbill: ${message}\n`);
}

/** A required option's value, or CORE_VALIDATION naming the option and what it takes. */
export function requireOption(value: string | undefined, option: string, allowed: string): string {
  if (value === undefined || value.trim() === '') {
    throw new AppError('CORE_VALIDATION', `${option} is required: ${allowed}.`, { option });
  }
  return value;
}
