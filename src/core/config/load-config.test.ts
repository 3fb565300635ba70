import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/index.ts';
import { loadConfig } from './load-config.ts';

function etcWith(conf?: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'certbill-config-')), 'etc');
  mkdirSync(dir);
  if (conf !== undefined) writeFileSync(join(dir, 'certbill.conf'), conf);
  return dir;
}

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  it('uses every default when certbill.conf is missing', () => {
    const etcDir = etcWith();
    const { config, sources, file } = loadConfig({ etcDir, env: {} });
    expect(file).toEqual({ path: join(etcDir, 'certbill.conf'), exists: false });
    expect(config).toMatchObject({
      sslSubscriptionPolicy: 'auto',
      sslSubscriptionBefore: 10,
      sslValidationLeadDays: 14,
      listenAddress: '127.0.0.1',
      listenPort: 8080,
      panelSecureCookie: false,
      databaseUrl: 'sqlite:./data/certbill.sqlite',
      logDir: './var/log',
      demoSimulator: true,
      demoSimulatorPort: 8443,
      smtpUrl: undefined,
      mailFrom: 'certbill@localhost',
      balanceRefreshHours: 6,
      reissueWindow: undefined,
      reissuePerHour: undefined,
      maintenanceMode: false,
      secretKeyFile: join(etcDir, 'secret.key'),
    });
    expect(Object.values(sources).every((s) => s.kind === 'default')).toBe(true);
  });

  it('reads both line forms, flags, whole-line and trailing comments', () => {
    const etcDir = etcWith(
      [
        '# certbill settings',
        '',
        'SSLSubscriptionPolicy manual   # the panel offers the same',
        'Option SSLSubscriptionBefore 20',
        'Option MaintenanceMode',
        '  ReissueWindow 22:00-04:00',
        'MailFrom billing@example.com#not-a-comment',
        'DemoSimulator off',
      ].join('\r\n'),
    );
    const { config, sources } = loadConfig({ etcDir, env: {} });
    expect(config.sslSubscriptionPolicy).toBe('manual');
    expect(config.sslSubscriptionBefore).toBe(20);
    expect(config.maintenanceMode).toBe(true);
    expect(config.reissueWindow).toMatchObject({
      from: '22:00',
      to: '04:00',
      fromMinute: 1320,
      toMinute: 240,
    });
    expect(config.mailFrom).toBe('billing@example.com#not-a-comment');
    expect(config.demoSimulator).toBe(false);
    expect(sources.sslSubscriptionPolicy).toEqual({
      kind: 'file',
      path: join(etcDir, 'certbill.conf'),
      line: 3,
    });
    expect(sources.sslSubscriptionBefore).toEqual({
      kind: 'file',
      path: join(etcDir, 'certbill.conf'),
      line: 4,
    });
  });

  it('returns a frozen configuration', () => {
    const { config } = loadConfig({ etcDir: etcWith('ListenPort 9000'), env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => ((config as { listenPort: number }).listenPort = 1)).toThrow(TypeError);
  });

  it('names file, line, option and the allowed range for an out-of-range number', () => {
    const etcDir = etcWith('# c\n\nSSLSubscriptionBefore 300\n');
    const e = failure(() => loadConfig({ etcDir, env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(
      `${join(etcDir, 'certbill.conf')}:3: SSLSubscriptionBefore 300 is out of range: allowed 1..200 days`,
    );
  });

  it('lists the allowed words for a value outside a closed set', () => {
    const e = failure(() => loadConfig({ etcDir: etcWith('SSLSubscriptionPolicy sometimes'), env: {} }));
    expect(e.message).toContain(
      ':1: SSLSubscriptionPolicy "sometimes" is not allowed: use auto, manual or none',
    );
  });

  it.each([
    ['SSLSubscriptionBefore ten', 'SSLSubscriptionBefore "ten" is not a whole number: allowed 1..200 days'],
    ['ListenPort 0', 'ListenPort 0 is out of range: allowed 1..65535'],
    ['ReissuePerHour 0', 'ReissuePerHour 0 is out of range: allowed 1 or more per hour'],
    ['ReissueWindow 25:00-03:00', 'ReissueWindow "25:00-03:00" is not a time window: use HH:MM-HH:MM in UTC'],
    ['DemoSimulator maybe', 'DemoSimulator "maybe" is not allowed: use on or off'],
    ['MailFrom nobody', 'MailFrom "nobody" is not an e-mail address'],
    ['ListenAddress not_a_host!', 'ListenAddress "not_a_host!" is not an IP address or host name'],
    [
      'DatabaseUrl mysql://u:pw@h/db',
      'DatabaseUrl "mysql://u:***@h/db" is not supported: use sqlite:<path> or postgres://',
    ],
    ['SmtpUrl http://u:pw@h', 'SmtpUrl "http://u:***@h" is not an SMTP URL'],
    ['Option SSLSubscriptionBefore', 'SSLSubscriptionBefore needs a value: allowed 1..200 days'],
    ['Option', 'Option needs a name'],
    ['ListenPort 8080\nListenPort 9090', ':2: ListenPort is set twice: first on line 1'],
    [
      'SSLSubscriptionBefor 20',
      'SSLSubscriptionBefor is not a known option: did you mean SSLSubscriptionBefore?',
    ],
    ['sslsubscriptionpolicy auto', 'did you mean SSLSubscriptionPolicy? (option names are case-sensitive)'],
    [
      'Colour blue',
      'Colour is not a known option: known options are SSLSubscriptionPolicy, SSLSubscriptionBefore',
    ],
    ['DemoSimulatorPort 8080', 'DemoSimulatorPort 8080 is the same as ListenPort'],
  ])('refuses %j with a message naming what is allowed', (line, expected) => {
    const e = failure(() => loadConfig({ etcDir: etcWith(line), env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(expected);
  });

  it('never prints the password of a refused secret value', () => {
    const e = failure(() => loadConfig({ etcDir: etcWith('SmtpUrl ftp://mailer:hunter22@mail'), env: {} }));
    expect(JSON.stringify(e.toJSON())).not.toContain('hunter22');
  });

  it('reports every error of the file at once', () => {
    const etcDir = etcWith(
      'ListenPort 8080\nSSLSubscriptionBefore 300\nSSLSubscriptionPolicy sometimes\nListenPrt 1\nBalanceRefreshHours 6\n',
    );
    const e = failure(() => loadConfig({ etcDir, env: {} }));
    const errors = e.details['errors'] as string[];
    expect(errors).toHaveLength(3);
    expect(errors.map((m) => m.match(/:(\d+): (\w+)/)?.slice(1))).toEqual([
      ['2', 'SSLSubscriptionBefore'],
      ['3', 'SSLSubscriptionPolicy'],
      ['4', 'ListenPrt'],
    ]);
    expect(e.message).toMatch(/^Invalid configuration \(3 errors\):/);
    for (const m of errors) expect(e.message).toContain(m);
  });

  it('lets the environment override the file and records where each value came from', () => {
    const etcDir = etcWith('SSLSubscriptionBefore 20\nListenPort 9000\n');
    const { config, sources } = loadConfig({
      etcDir,
      env: {
        CERTBILL_SSL_SUBSCRIPTION_BEFORE: '30',
        DATABASE_URL: 'postgres://u:p@db/certbill',
        CERTBILL_LOG_DIR: '/var/log/certbill',
        CERTBILL_MAINTENANCE_MODE: 'yes',
        CERTBILL_SMTP_URL: '',
      },
    });
    expect(config.sslSubscriptionBefore).toBe(30);
    expect(sources.sslSubscriptionBefore).toEqual({
      kind: 'env',
      variable: 'CERTBILL_SSL_SUBSCRIPTION_BEFORE',
    });
    expect(config.listenPort).toBe(9000);
    expect(sources.listenPort).toMatchObject({ kind: 'file', line: 2 });
    expect(config.databaseUrl).toBe('postgres://u:p@db/certbill');
    expect(sources.databaseUrl).toEqual({ kind: 'env', variable: 'DATABASE_URL' });
    expect(config.logDir).toBe('/var/log/certbill');
    expect(config.maintenanceMode).toBe(true);
    expect(sources.smtpUrl).toEqual({ kind: 'default' });
  });

  it('prefers CERTBILL_DATABASE_URL over DATABASE_URL', () => {
    const { sources } = loadConfig({
      etcDir: etcWith(),
      env: { DATABASE_URL: 'sqlite:a.sqlite', CERTBILL_DATABASE_URL: 'sqlite:b.sqlite' },
    });
    expect(sources.databaseUrl).toEqual({ kind: 'env', variable: 'CERTBILL_DATABASE_URL' });
  });

  it('names the variable of an invalid environment value', () => {
    const e = failure(() =>
      loadConfig({ etcDir: etcWith(), env: { CERTBILL_SSL_SUBSCRIPTION_POLICY: 'often' } }),
    );
    expect(e.message).toContain(
      'CERTBILL_SSL_SUBSCRIPTION_POLICY (environment): SSLSubscriptionPolicy "often" is not allowed',
    );
  });

  it('finds the folder through CERTBILL_ETC when none is given', () => {
    const etcDir = etcWith('ListenPort 9100');
    expect(loadConfig({ env: { CERTBILL_ETC: etcDir } }).config.listenPort).toBe(9100);
  });
});
