import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/app.ts';
import { testDialects } from '../../../test/support/databases.ts';
import {
  buildPanelApp,
  createClientLogin,
  createStaffLogin,
  getPage,
  loginAs,
  type PanelLogin,
} from '../../../test/support/panel.ts';
import { formatLogLine } from '../../core/logs/format-log-line.ts';
import type { App } from '../../http/build-app.ts';
import { logPages } from './logs.ts';

describe.each(testDialects())('Logs on %s', (dialect) => {
  let ctx: TestContext;
  let app: App;
  let admin: PanelLogin;
  let client: PanelLogin;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certbill-panel-logs-'));
    const at = (s: number) => new Date(Date.UTC(2026, 3, 2, 12, 0, s));
    writeFileSync(
      join(dir, 'pmglobalsign.log'),
      formatLogLine(at(1), 42, 'soap', 'request', 'DVOrder order=CE1 120ms success=0') +
        formatLogLine(at(2), 42, 'soap', 'error', 'DVOrder failed: <ErrorCode>-4001</ErrorCode>') +
        formatLogLine(at(3), 42, 'http', 'warning', 'slow answer 9000ms') +
        formatLogLine(at(4), 42, 'soap', 'debug', 'Password=********'),
    );
    writeFileSync(join(dir, 'certbill.log'), formatLogLine(at(5), 42, 'jobs', 'warning', 'job 5 late'));
    writeFileSync(join(dir, 'certbill.log.1'), formatLogLine(at(0), 42, 'jobs', 'error', 'rotated away'));
    const base = await createTestContext(dialect);
    ctx = { ...base, config: { ...base.config, logDir: dir } };
    app = await buildPanelApp(ctx, { adminPages: [logPages] });
    admin = await loginAs(app, await createStaffLogin(ctx));
    client = await loginAs(app, await createClientLogin(ctx));
  });
  afterAll(async () => {
    await app.close();
    await ctx.drop();
  });

  it('shows certbill.log first and offers every module log, without the rotated copies', async () => {
    const page = await getPage(app, '/admin/logs', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="logs-module">Module log</label>');
    expect(page.body).toContain('<label for="logs-level">Level</label>');
    expect(page.body).toContain('<option value="certbill" selected>certbill.log</option>');
    expect(page.body).toContain('<option value="pmglobalsign">pmglobalsign.log</option>');
    expect(page.body).not.toContain('certbill.log.1');
    expect(page.body).toContain('job 5 late');
    expect(page.body).not.toContain('rotated away');
  });

  it('shows a module log newest last, escaped, and keeps only the level asked and more severe', async () => {
    const all = await getPage(app, '/admin/logs?module=pmglobalsign', admin);
    const order = ['success=0', '-4001', 'slow answer', 'Password=********'].map((s) => all.body.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(all.body).toContain('&lt;ErrorCode&gt;-4001&lt;/ErrorCode&gt;');
    expect(all.body).toContain('4 entries');

    const warnings = await getPage(app, '/admin/logs?module=pmglobalsign&level=warning', admin);
    expect(warnings.body).toContain('-4001');
    expect(warnings.body).toContain('slow answer');
    expect(warnings.body).not.toContain('success=0');
    expect(warnings.body).not.toContain('Password=');
    expect(warnings.body).toContain('<option value="warning" selected>warning (4) and more severe</option>');

    const errors = await getPage(app, '/admin/logs?module=pmglobalsign&level=error', admin);
    expect(errors.body).toContain('-4001');
    expect(errors.body).not.toContain('slow answer');
  });

  it('falls back to certbill.log for a name that is not a module log', async () => {
    const page = await getPage(app, '/admin/logs?module=..%2Fetc%2Fpasswd', admin);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('There is no module log "../etc/passwd"; showing certbill.log.');
    expect(page.body).toContain('job 5 late');
  });

  it('refuses the page to a client user', async () => {
    expect((await getPage(app, '/admin/logs', client)).statusCode).toBe(403);
    expect((await getPage(app, '/admin/logs?module=pmglobalsign', client)).statusCode).toBe(403);
  });
});
