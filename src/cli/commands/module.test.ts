import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createProvisioningTestContext,
  SIM_PASSWORD,
  SIM_USER,
  type ProvisioningTestContext,
} from '../../../test/contract/provisioning-test-context.ts';
import { testDialects } from '../../../test/support/databases.ts';
import { registerModuleCommands } from './module.ts';

describe.each(testDialects())('certbill module on %s', (dialect) => {
  let ctx: ProvisioningTestContext;

  beforeAll(async () => {
    ctx = await createProvisioningTestContext(dialect);
  });
  afterAll(async () => {
    await ctx.close();
  });

  async function run(...args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    const program = new Command('certbill').exitOverride();
    registerModuleCommands(program, { withContext: (body) => body(ctx) });
    for (const c of program.commands) {
      c.exitOverride();
      for (const s of c.commands) s.exitOverride();
    }
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
    process.exitCode = undefined;
    try {
      await program.parseAsync(args, { from: 'user' });
      return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
    }
  }

  const add = (...extra: string[]) =>
    run('module', 'add', 'globalsign', '--username', SIM_USER, '--demo', '--ip', '127.0.0.1', ...extra);

  it('adds a GlobalSign module after the connection check and prints its id, never the password', async () => {
    const r = await add(
      '--name',
      'GS cli',
      '--password',
      SIM_PASSWORD,
      '--sort',
      '3',
      '--min-balance',
      '250',
      '--json',
    );
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.id).toBeGreaterThan(0);
    expect(out.module).toMatchObject({
      name: 'GS cli',
      sort: 3,
      minBalance: { amountMinor: 25000, currency: 'USD' },
    });
    expect(r.stdout).not.toContain(SIM_PASSWORD);

    const shown = await run('module', 'show', String(out.id), '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: out.id, username: SIM_USER, demo: true });
    expect(shown.stdout).not.toContain(SIM_PASSWORD);
    const human = await run('module', 'show', String(out.id));
    expect(human.stdout).toContain('Username: PAR12345_api');
    expect(human.stdout).not.toContain(SIM_PASSWORD);

    const list = await run('module', 'list', '--json');
    expect(JSON.parse(list.stdout).modules.map((m: { id: number }) => m.id)).toContain(out.id);
  });

  it('exits 1 with "Cannot connect to the processing module", the hints and the cause, one per line', async () => {
    const r = await add('--name', 'GS refused', '--password', 'Zq9-not-it');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('certbill: Cannot connect to the processing module');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('- make sure the connection parameters are correct;');
    expect(lines[4]).toMatch(/^Cause: .*refused the login.*-4001/);
    expect(r.stderr).not.toContain('Zq9-not-it');
    expect(
      JSON.parse((await run('module', 'list', '--json')).stdout).modules.map((m: { name: string }) => m.name),
    ).not.toContain('GS refused');
  });

  it('prints the failed check under --json with code, message, cause and hints', async () => {
    const r = await add('--name', 'GS refused', '--password', 'Zq9-not-it', '--json');
    expect(r.exitCode).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('PROVISIONING_CONNECTION_FAILED');
    expect(error.message).toMatch(/^Cannot connect to the processing module\n/);
    expect(error.details.hints).toHaveLength(3);
    expect(error.details.cause).toMatchObject({ kind: 'login-refused', caCodes: ['-4001'] });
  });

  it('exits 2 for a missing option or a bad field, before calling the CA', async () => {
    const missing = await add('--password', SIM_PASSWORD, '--json');
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout).error.code).toBe('CORE_VALIDATION');
    const badIp = await add('--name', 'GS bad ip', '--password', SIM_PASSWORD, '--ip', '10.9.8.7', '--json');
    expect(badIp.exitCode).toBe(2);
    expect(JSON.parse(badIp.stdout).error.details.field).toBe('sourceAddress');
  });

  it('reads the balance now and stores it, checks, edits and disables a module', async () => {
    const id = JSON.parse((await add('--name', 'GS balance', '--password', SIM_PASSWORD, '--json')).stdout)
      .id as number;
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '777.25' });
    ctx.clock.advanceMs(5_000);
    const r = await run('module', 'balance', String(id), '--json');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      balance: { amountMinor: 77725, currency: 'USD' },
      readAt: ctx.clock.now().toISOString(),
    });
    expect(JSON.parse((await run('module', 'show', String(id), '--json')).stdout).balance.amountMinor).toBe(
      77725,
    );
    expect(JSON.parse((await run('module', 'check', String(id), '--json')).stdout)).toMatchObject({
      id,
      ok: true,
    });
    const edited = await run('module', 'edit', String(id), '--disable', '--sort', '7', '--json');
    expect(JSON.parse(edited.stdout)).toMatchObject({
      rechecked: false,
      module: { enabled: false, sort: 7 },
    });
    expect((await run('module', 'show', '999999', '--json')).exitCode).toBe(2);
    await ctx.control(`accounts/${SIM_USER}/balance`, { balance: '1000.00' });
  });
});
