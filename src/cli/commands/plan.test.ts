import { afterEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../../test/support/cli.ts';

const runCli = (...args: string[]) => runCliCaptured('plan', ...args);

afterEach(() => {
  process.exitCode = undefined;
});

const SEED = ['--type', 'DV', '--issued', '2026-04-02T12:00:00Z', '--years', '5'];

describe('certbill plan', () => {
  it('prints the seed example as JSON: expiration 2026-10-19, paid until 2031-04-02', async () => {
    const { stdout, exitCode } = await runCli(...SEED, '--json');
    expect(exitCode).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({
      expirationDate: '2026-10-19',
      paidUntil: '2031-04-02',
      paidUntilShown: '2031-04-02',
    });
    expect(out.certificates[0]).toMatchObject({
      issuedAt: '2026-04-02T12:00:00.000Z',
      notAfter: '2026-10-19T11:59:59.000Z',
      expirationDate: '2026-10-19',
      reissueAt: '2026-10-09T11:59:59.000Z',
      needsDcv: false,
      needsSii: false,
    });
    expect(out.certificates.at(-1)).toMatchObject({ notAfter: '2031-04-02T12:00:00.000Z', reissueAt: null });
  });

  it('shows an empty paid until for one year and honours --before, --ca-habit and --dcv-at', async () => {
    const { stdout } = await runCli(
      '--type',
      'ov',
      '--issued',
      '2026-04-02T12:00:00Z',
      '--years',
      '1',
      '--before',
      '20',
      '--ca-habit',
      'under-cap',
      '--dcv-at',
      '2025-01-01T00:00:00Z',
      '--json',
    );
    const out = JSON.parse(stdout);
    expect(out.paidUntilShown).toBeNull();
    expect(out.paidUntil).toBe('2027-04-02');
    expect(out.certificates[0]).toMatchObject({
      notAfter: '2026-10-18T11:59:59.000Z',
      reissueAt: '2026-09-28T11:59:59.000Z',
    });
    expect(out.certificates[1]).toMatchObject({ needsDcv: true, needsSii: false });
  });

  it('prints a readable table without --json', async () => {
    const { stdout, exitCode } = await runCli(...SEED);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Expiration date: 2026-10-19');
    expect(stdout).toContain('Paid until:      2031-04-02');
    expect(stdout).toMatch(
      /^1 +2026-04-02T12:00:00\.000Z +2026-10-19T11:59:59\.000Z +2026-10-19 +2026-10-09T11:59:59\.000Z/m,
    );
  });

  it.each([
    [['--type', 'XV', '--issued', '2026-04-02T12:00:00Z', '--years', '5'], 'DOMAIN_INVALID_PRODUCT_TYPE'],
    [['--type', 'DV', '--issued', '2026-02-30', '--years', '5'], 'DOMAIN_INVALID_INSTANT'],
    [['--type', 'DV', '--issued', '2026-04-02T12:00:00Z', '--years', '6'], 'DOMAIN_INVALID_YEARS'],
    [[...SEED, '--before', '300'], 'DOMAIN_INVALID_BEFORE_DAYS'],
    [[...SEED, '--ca-habit', 'sometimes'], 'DOMAIN_INVALID_CA_HABIT'],
    [['--type', 'DV', '--years', '5'], 'CORE_VALIDATION'],
  ])('answers bad input %j with exit code 2 and the error %s as JSON', async (args, code) => {
    const { stdout, exitCode } = await runCli(...args, '--json');
    expect(exitCode).toBe(2);
    const out = JSON.parse(stdout);
    expect(out.error.code).toBe(code);
    expect(out.error.message).toMatch(/allowed|from 1 to|ISO 8601|required/);
  });

  it('says on one line what is wrong and what is allowed without --json', async () => {
    const { stdout, stderr, exitCode } = await runCli(...SEED, '--before', '300');
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('from 1 to 200; got "300"');
  });

  it('exits 2 on an unknown option, as JSON under --json', async () => {
    const { stdout, exitCode } = await runCli(...SEED, '--json', '--colour');
    expect(exitCode).toBe(2);
    expect(JSON.parse(stdout).error).toMatchObject({
      code: 'CORE_VALIDATION',
      message: expect.stringContaining('--colour'),
    });
  });

  it('exits 2 on an option without its value', async () => {
    const { stderr, exitCode } = await runCli('--type', 'DV', '--issued');
    expect(exitCode).toBe(2);
    expect(stderr).toContain("'--issued <instant>' argument missing");
  });
});
