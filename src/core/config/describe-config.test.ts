import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig } from './describe-config.ts';
import { loadConfig } from './load-config.ts';
import { subscriptionOverride } from './subscription-override.ts';

function load(conf: string, env: Record<string, string> = {}) {
  const etcDir = mkdtempSync(join(tmpdir(), 'certbill-describe-'));
  writeFileSync(join(etcDir, 'certbill.conf'), conf);
  return { etcDir, loaded: loadConfig({ etcDir, env }) };
}

describe('describeConfig', () => {
  it('lists every option with its value, source and description, masking secrets', () => {
    const { etcDir, loaded } = load(
      'SmtpUrl smtp://mailer:s3cret-pw@mail.example.com:587\nReissueWindow 01:00-05:00\n',
      {
        DATABASE_URL: 'postgres://certbill:db-pw@db/certbill',
      },
    );
    const rows = describeConfig(loaded);
    expect(rows.map((r) => r.name)).toContain('SSLSubscriptionPolicy');
    expect(rows).toHaveLength(17);
    const row = (name: string) => rows.find((r) => r.name === name)!;
    expect(row('SmtpUrl')).toMatchObject({
      value: 'smtp://mailer:***@mail.example.com:587',
      source: `file:${join(etcDir, 'certbill.conf')}:1`,
    });
    expect(row('DatabaseUrl')).toMatchObject({
      value: 'postgres://certbill:***@db/certbill',
      source: 'env:DATABASE_URL',
    });
    expect(row('ReissueWindow').value).toBe('01:00-05:00');
    expect(row('ReissuePerHour')).toMatchObject({ value: '', source: 'default' });
    expect(row('DemoSimulator').value).toBe('on');
    expect(rows.every((r) => r.description.length > 10)).toBe(true);
    expect(JSON.stringify(rows)).not.toMatch(/s3cret-pw|db-pw/);
  });
});

describe('subscriptionOverride', () => {
  it('says nothing is overridden when both options keep their defaults', () => {
    expect(subscriptionOverride(load('ListenPort 9000').loaded)).toEqual({ policy: null, before: null });
  });

  it('names the file line or the variable that overrides the panel', () => {
    const { etcDir, loaded } = load('# x\n\nSSLSubscriptionBefore 20\n', {
      CERTBILL_SSL_SUBSCRIPTION_POLICY: 'none',
    });
    const o = subscriptionOverride(loaded);
    expect(o.before).toMatchObject({ value: 20, note: `overridden by ${join(etcDir, 'certbill.conf')}:3` });
    expect(o.policy).toMatchObject({ value: 'none', note: 'overridden by CERTBILL_SSL_SUBSCRIPTION_POLICY' });
  });
});
