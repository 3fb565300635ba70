import { Command } from 'commander';
import { vi } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs `certbill <args>` in-process and captures what it prints and its exit code. */
export async function runCliCaptured(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const exitCode = await runCli(args);
    return { stdout, stderr, exitCode };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

export interface CommandRun extends CliResult {
  /** stdout read as JSON (the commands' --json output), or null when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any;
}

/**
 * Runs `certbill <argv>` in-process on a program that has only the commands `register` adds
 * (commander's own exits and messages silenced), capturing stdout, stderr and the exit code.
 * @example const run = await runCommands((p) => registerMailCommands(p), ['mail', 'outbox', '--json']);
 */
export async function runCommands(register: (program: Command) => void, argv: string[]): Promise<CommandRun> {
  const program = new Command('certbill').exitOverride();
  register(program);
  const quiet = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    cmd.commands.forEach(quiet);
  };
  quiet(program);
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const text = out.join('');
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { stdout: text, stderr: err.join(''), exitCode, json };
}

/**
 * Points the in-process CLI at a test database (DATABASE_URL); the function it returns puts the
 * previous value back.
 */
export function useDatabaseUrl(url: string): () => void {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  return () => {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  };
}
