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
