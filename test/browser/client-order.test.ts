import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { showAccount } from '../../src/billing/index.ts';
import {
  BROWSER_TEST_MS,
  chooseOption,
  SEED,
  startBrowserTest,
  tableRows,
  WAIT_MS,
  type BrowserTestContext,
} from './browser-test-context.ts';

/** How long the certificate may take from payment to Active on a slow machine (jobs run every 200 ms). */
const ISSUE_MS = 120_000;

/** Runs openssl; its stdout and stderr, or throws with stderr. */
function openssl(args: string[]): string {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout + run.stderr;
}

/** Clicks a download link and saves what the browser received under `dir`; returns the file's path. */
async function download(
  page: Page,
  link: Locator,
  dir: string,
): Promise<{ file: string; suggested: string }> {
  const [event] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), link.click()]);
  const failure = await event.failure();
  if (failure) throw new Error(`the download of ${event.suggestedFilename()} failed: ${failure}`);
  const file = path.join(dir, event.suggestedFilename());
  await event.saveAs(file);
  return { file, suggested: event.suggestedFilename() };
}

/** The cells of the price split's row for `item` ("Additional domains", "Total", …), joined by spaces. */
async function priceRow(scope: Locator, item: string): Promise<string> {
  const row = scope
    .getByRole('row')
    .filter({ has: scope.page().getByRole('rowheader', { name: item, exact: true }) });
  const cells = await row.locator('th, td').allTextContents();
  return cells.map((c) => c.replace(/\s+/g, ' ').trim()).join(' ');
}

describe('the client area in Chromium', () => {
  let h: BrowserTestContext;
  let dir: string;
  /** The service the first test orders; the next one looks at it from both sides. */
  let orderedServiceId: number | undefined;

  beforeAll(async () => {
    h = await startBrowserTest();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certbill-browser-'));
  }, BROWSER_TEST_MS);
  afterAll(async () => {
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, BROWSER_TEST_MS);
  afterEach(() => {
    if (!h) return;
    const { pageErrors, serverErrors } = h.takeErrors();
    expect(pageErrors, 'uncaught JavaScript errors in the pages').toEqual([]);
    expect(serverErrors, 'panel requests that failed with a 500').toEqual([]);
  });

  it(
    'orders a multi-domain certificate with the price split, pays from the balance, and downloads a certificate that openssl verifies against the chain',
    async () => {
      const page = await h.newPage();
      await h.signIn(page, h.client);
      expect(new URL(page.url()).pathname).toBe('/client');

      await page
        .getByRole('navigation', { name: 'Main menu' })
        .getByRole('link', { name: 'Order a certificate' })
        .click();
      await page.waitForURL(/\/client\/order$/);
      await chooseOption(page.getByLabel('Tariff plan'), new RegExp(`^${SEED.tariff.name} \\(`));
      await page.getByLabel('Period').selectOption({ label: '5 years' });
      await page.getByLabel('Domain (CN)').fill('example.com');
      await page.getByLabel('Additional names').fill('www.example.com\nshop.example.com');

      // The live price: www is an "Additional UC SANs domains" name (5.00), shop an "Additional domains" one (20.00).
      const price = page.locator('#price');
      await price.getByRole('cell', { name: '125.00 USD', exact: true }).waitFor();
      expect(await priceRow(price, 'Certificate, 5 years')).toBe(
        'Certificate, 5 years 1 1 100.00 USD 100.00 USD',
      );
      expect(await priceRow(price, 'Additional UC SANs domains')).toBe(
        'Additional UC SANs domains 1 1 5.00 USD 5.00 USD',
      );
      expect(await priceRow(price, 'Additional domains')).toBe('Additional domains 1 1 20.00 USD 20.00 USD');
      expect(await priceRow(price, 'Total')).toBe('Total 125.00 USD');
      await page.getByLabel('Generate a request').check();
      await page.getByLabel('E-mail to an approver address').check();
      await price.scrollIntoViewIfNeeded();
      await h.screenshot(page, 'client-order');

      await page.getByRole('button', { name: 'Review order' }).click();
      await page.getByRole('heading', { name: 'Confirm the order', level: 1 }).waitFor();
      const confirm = page.locator('#order-confirm');
      expect(await priceRow(confirm, 'Additional UC SANs domains')).toBe(
        'Additional UC SANs domains 1 1 5.00 USD 5.00 USD',
      );
      expect(await priceRow(confirm, 'Additional domains')).toBe(
        'Additional domains 1 1 20.00 USD 20.00 USD',
      );
      expect(await confirm.textContent()).toContain('Balance 500.00 USD; after this order 375.00 USD.');
      // The approver addresses are the CA's list for the domain.
      await chooseOption(page.getByLabel('Approver address'), /^admin@example\.com$/);
      await h.screenshot(page, 'client-order-confirm');

      await page.getByRole('button', { name: 'Order', exact: true }).click();
      await page.waitForURL(/\/client\/services\/\d+$/);
      const serviceId = Number(new URL(page.url()).pathname.split('/').at(-1));
      expect(await page.getByRole('status').filter({ hasText: 'Order placed' }).textContent()).toContain(
        'Order placed: 125.00 USD paid from the balance.',
      );
      expect((await showAccount(h.ctx, h.client.clientId)).balance).toEqual({
        amountMinor: 37500,
        currency: 'USD',
      });

      // The simulator approves at once; the jobs place and fetch the order, the page sees it by itself.
      const status = page.locator('#service-status');
      try {
        await status.filter({ hasText: 'Active: the certificate is issued.' }).waitFor({ timeout: ISSUE_MS });
      } catch (e) {
        throw new Error(
          `the service page did not turn Active: "${await status.textContent()}"\n${h.diagnostics()}`,
          { cause: e },
        );
      }
      expect(await page.locator('#expiration-date').textContent()).toBe('2026-10-19');
      expect(await page.locator('#paid-until').textContent()).toContain('2031-04-02');
      expect(await page.locator('#ca-order').textContent()).toMatch(/^CE/);
      expect(await tableRows(page.locator('#names'))).toEqual([
        'Name Kind',
        'example.com Domain (CN)',
        'www.example.com Additional UC SANs domains',
        'shop.example.com Additional domains',
      ]);
      await h.screenshot(page, 'client-service');

      const downloads = page.locator('#downloads');
      const cert = await download(
        page,
        downloads.getByRole('link', { name: 'Download certificate (PEM)' }),
        dir,
      );
      const chain = await download(page, downloads.getByRole('link', { name: 'Download chain (PEM)' }), dir);
      expect(cert.file).not.toBe(chain.file);
      const ca = await h.control<{ root: string; intermediate: string }>('ca');
      const root = path.join(dir, 'root.pem');
      fs.writeFileSync(root, ca.root);
      const verified = openssl([
        'verify',
        // At the CA's (test) time, whatever the machine's date.
        '-attime',
        String(Math.floor(h.ctx.clock.now().getTime() / 1000)),
        '-purpose',
        'sslserver',
        '-CAfile',
        root,
        '-untrusted',
        chain.file,
        cert.file,
      ]);
      expect(verified).toContain(`${cert.file}: OK`);
      const sans = openssl(['x509', '-in', cert.file, '-noout', '-ext', 'subjectAltName']);
      for (const name of ['example.com', 'www.example.com', 'shop.example.com']) {
        expect(sans).toContain(`DNS:${name}`);
      }

      // One order at the CA, with the names and the approver address chosen on the confirmation.
      const { orders } = await h.control<{ orders: Record<string, unknown>[] }>('orders');
      expect(orders).toEqual([
        expect.objectContaining({
          orderId: await page.locator('#ca-order').textContent(),
          fqdn: 'example.com',
          sans: expect.arrayContaining(['www.example.com', 'shop.example.com']),
          validation: 'email',
          approverEmail: 'admin@example.com',
        }),
      ]);
      orderedServiceId = serviceId;
    },
    BROWSER_TEST_MS,
  );

  it(
    'lists the issued certificate under My services with Expiration date and Paid until, and the admin sees the same under Services',
    async () => {
      expect(orderedServiceId, 'the certificate ordered by the previous test').toBeDefined();
      const client = await h.newPage();
      await h.signIn(client, h.client);
      await client
        .getByRole('navigation', { name: 'Main menu' })
        .getByRole('link', { name: 'My services' })
        .click();
      await client.waitForURL(/\/client\/services$/);
      const rows = await tableRows(client.locator('#services-list'));
      expect(rows[0]).toBe(
        'Service Domain (CN) Product State Expiration date Paid until Next planned reissue Action needed',
      );
      expect(rows.slice(1)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^#${orderedServiceId} example\\.com DomainSSL active 2026-10-19 2031-04-02 2026-10-09\\b`,
          ),
        ),
      ]);
      await h.screenshot(client, 'client-services');

      const admin = await h.newPage();
      await h.signIn(admin, h.admin);
      await admin
        .getByRole('navigation', { name: 'Main menu' })
        .getByRole('link', { name: 'Services', exact: true })
        .click();
      await admin.waitForURL(/\/admin\/services$/);
      await admin.getByLabel('State').selectOption({ label: 'active' });
      await admin.getByLabel('Common name contains').fill('example.com');
      await admin.getByRole('button', { name: 'Filter' }).click();
      await admin.waitForURL(/\/admin\/services\?/);
      const listed = await tableRows(admin.getByRole('main'));
      expect(listed.slice(1)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${orderedServiceId} example\\.com ${SEED.client.name} .*active ${SEED.module.name.replace(/[()]/g, '\\$&')} 2026-10-19 2031-04-02 125\\.00 USD`,
          ),
        ),
      ]);
      await admin.getByRole('link', { name: 'example.com', exact: true }).click();
      await admin
        .getByRole('heading', { name: `Service ${orderedServiceId}: example.com`, level: 1 })
        .waitFor();
      const details = await tableRows(admin.locator('#service-details'));
      expect(details).toEqual(
        expect.arrayContaining([
          'Expiration date 2026-10-19',
          'Paid until 2031-04-02',
          `Processing module ${SEED.module.name}`,
          'Price paid 125.00 USD',
        ]),
      );
      await h.screenshot(admin, 'admin-service');
    },
    BROWSER_TEST_MS,
  );
});
