import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTariff, listTariffs } from '../../src/billing/index.ts';
import { listProcessingModules } from '../../src/provisioning/module-repository.ts';
import {
  BROWSER_TEST_MS,
  CA_BALANCE,
  CA_PASSWORD,
  CA_USER,
  chooseOption,
  SEED,
  startBrowserTest,
  tableRows,
  type BrowserTestContext,
} from './browser-test-context.ts';

/** The main menu, where the platform's sections are (Integration → Processing modules, …). */
function menu(page: Page) {
  return page.getByRole('navigation', { name: 'Main menu' });
}

interface WizardAnswers {
  readonly name: string;
  readonly password: string;
  readonly sort: string;
  readonly minBalance: string;
}

/**
 * Integration → Processing modules → Add, then the wizard's steps in order: Product type,
 * Processing module, Configuring integration, Parameters of the service processing module. Leaves
 * the page on the last step (Check connection), not yet submitted.
 */
async function fillWizard(page: Page, answers: WizardAnswers): Promise<void> {
  await menu(page).getByRole('link', { name: 'Processing modules', exact: true }).click();
  await page.waitForURL(/\/admin\/modules$/);
  await page.getByRole('link', { name: 'Add', exact: true }).click();
  await page.waitForURL(/\/admin\/modules\/new$/);

  await page.getByRole('combobox', { name: /^Product type/ }).selectOption({ label: 'SSL certificates' });
  await page.getByRole('combobox', { name: /^Processing module/ }).selectOption({ label: 'GlobalSign' });

  await page.getByRole('textbox', { name: /^Username/ }).fill(CA_USER);
  await page.getByLabel(/^Password/).fill(answers.password);
  await page.getByRole('checkbox', { name: 'Demo' }).check();
  await page.getByRole('combobox', { name: /^IP address/ }).selectOption({ label: '127.0.0.1' });

  await page.getByRole('textbox', { name: /^Name/ }).fill(answers.name);
  await page.getByRole('combobox', { name: /^Department/ }).selectOption({ label: SEED.department });
  await page.getByRole('spinbutton', { name: /^Sort/ }).fill(answers.sort);
  await page.getByRole('textbox', { name: /^Processing module minimal balance/ }).fill(answers.minBalance);
}

const PLAN_PRICES = [
  [1, '90.00'],
  [2, '170.00'],
  [3, '250.00'],
] as const;

const ADDON_PRICES = [
  [
    'Additional UC SANs domains',
    [
      [1, '10.00'],
      [2, '10.00'],
      [3, '10.00'],
    ],
  ],
  [
    'Additional domains',
    [
      [1, '25.00'],
      [2, '45.00'],
      [3, '65.00'],
    ],
  ],
] as const;

describe('the admin panel in Chromium', () => {
  let h: BrowserTestContext;

  beforeAll(async () => {
    h = await startBrowserTest();
  }, BROWSER_TEST_MS);
  afterAll(async () => h?.close(), BROWSER_TEST_MS);
  afterEach(() => {
    if (!h) return;
    const { pageErrors, serverErrors } = h.takeErrors();
    expect(pageErrors, 'uncaught JavaScript errors in the pages').toEqual([]);
    expect(serverErrors, 'panel requests that failed with a 500').toEqual([]);
  });

  it(
    'signs the admin in and shows the dashboard with the balance of the processing module',
    async () => {
      const page = await h.newPage();
      await page.goto('/admin');
      await page.waitForURL(/\/login\?next=/);
      await page.getByLabel('E-mail').fill(SEED.admin.email);
      await h.screenshot(page, 'login');
      await h.signIn(page, h.admin);
      expect(new URL(page.url()).pathname).toBe('/admin');
      await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
      const balances = page.locator('#balances');
      await balances.getByRole('link', { name: SEED.module.name }).waitFor();
      expect(await balances.textContent()).toContain(`${CA_BALANCE} USD`);
      await h.screenshot(page, 'admin-dashboard');
    },
    BROWSER_TEST_MS,
  );

  it(
    'runs the processing module wizard step by step; a passing check saves the module, listed with its balance',
    async () => {
      const page = await h.newPage();
      await h.signIn(page, h.admin);
      await fillWizard(page, {
        name: 'GlobalSign main',
        password: CA_PASSWORD,
        sort: '2',
        minBalance: '250.00',
      });
      const check = page.locator('#step-check');
      await check.scrollIntoViewIfNeeded();
      await h.screenshot(page, 'admin-module-wizard');

      await check.getByRole('button', { name: 'Check connection and save' }).click();
      await page.waitForURL(/\/admin\/modules\/\d+$/);
      await page.getByRole('heading', { name: /GlobalSign main/, level: 1 }).waitFor();
      expect(await page.getByRole('status').textContent()).toContain(
        'Connection checked; processing module "GlobalSign main" added.',
      );
      expect(await page.locator('#module-balance').textContent()).toContain(`${CA_BALANCE} USD`);

      const saved = (await listProcessingModules(h.ctx)).find((m) => m.name === 'GlobalSign main');
      expect(saved).toMatchObject({
        kind: 'globalsign',
        username: CA_USER,
        demo: true,
        sourceAddress: '127.0.0.1',
        sort: 2,
        department: { name: SEED.department },
        minBalance: { amountMinor: 25000, currency: 'USD' },
      });

      await menu(page).getByRole('link', { name: 'Processing modules', exact: true }).click();
      await page.waitForURL(/\/admin\/modules$/);
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'GlobalSign main' }) });
      const cells = await row.getByRole('cell').allTextContents();
      expect(cells.map((c) => c.trim())).toEqual(
        expect.arrayContaining([
          'GlobalSign',
          '2',
          SEED.department,
          expect.stringContaining(`${CA_BALANCE} USD`),
        ]),
      );
      await h.screenshot(page, 'admin-modules');
    },
    BROWSER_TEST_MS,
  );

  it(
    'shows "Cannot connect to the processing module" with the hints when the password is wrong, and saves nothing',
    async () => {
      const before = await listProcessingModules(h.ctx);
      const page = await h.newPage();
      await h.signIn(page, h.admin);
      await fillWizard(page, {
        name: 'GlobalSign wrong password',
        password: 'not the password',
        sort: '3',
        minBalance: '100.00',
      });
      await page.getByRole('button', { name: 'Check connection and save' }).click();

      const failure = page.getByRole('alert').filter({ hasText: 'Cannot connect to the processing module' });
      await failure.waitFor();
      const text = (await failure.textContent()) ?? '';
      expect(text).toContain('make sure the connection parameters are correct');
      expect(text).toContain(
        'check that the URL of the Certification Authority is reachable from this server',
      );
      expect(text).toContain(
        "make sure API calls from this server's IP address are allowed in the Certification Authority client area",
      );
      expect(text).toContain('refused the login');
      // What the admin typed is still there, except the password.
      expect(await page.getByRole('textbox', { name: /^Name/ }).inputValue()).toBe(
        'GlobalSign wrong password',
      );
      expect(await page.getByRole('textbox', { name: /^Username/ }).inputValue()).toBe(CA_USER);
      expect(await page.getByLabel(/^Password/).inputValue()).toBe('');
      await failure.scrollIntoViewIfNeeded();
      await h.screenshot(page, 'admin-module-check-failed');

      expect(await listProcessingModules(h.ctx)).toHaveLength(before.length);
      await page.goto('/admin/modules');
      expect(await page.getByRole('link', { name: 'GlobalSign wrong password' }).count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );

  it(
    'creates a tariff plan with prices per period and both addons, "Additional UC SANs domains" and "Additional domains"',
    async () => {
      const page = await h.newPage();
      await h.signIn(page, h.admin);
      await menu(page).getByRole('link', { name: 'Tariff plans', exact: true }).click();
      await page.waitForURL(/\/admin\/tariffs$/);
      await page.getByRole('link', { name: 'New tariff plan' }).click();

      await page.getByRole('textbox', { name: 'Name', exact: true }).fill('OrganizationSSL multi-domain');
      await chooseOption(page.getByRole('combobox', { name: 'Product' }), /^OrganizationSSL\b/);
      await page.getByRole('textbox', { name: 'Currency' }).fill('USD');
      for (const [years, amount] of PLAN_PRICES) {
        await page
          .getByRole('textbox', { name: `Price for ${years} year${years === 1 ? '' : 's'}` })
          .fill(amount);
      }
      await page.getByRole('checkbox', { name: SEED.module.name, exact: true }).check();
      await page.getByRole('checkbox', { name: /^Active/ }).check();
      await page.getByRole('button', { name: 'Create tariff plan' }).click();
      await page.waitForURL(/\/admin\/tariffs\/\d+$/);
      expect(await page.getByRole('status').textContent()).toContain(
        'Tariff plan "OrganizationSSL multi-domain" created.',
      );

      // Products → Tariff plans → the tariff plan → Config → Add, Type "Additional UC SANs domains" → Ok.
      await page.getByRole('button', { name: 'Config', exact: true }).click();
      await page.waitForURL(/\/admin\/tariffs\/\d+\/config\??$/);
      for (const [type, prices] of ADDON_PRICES) {
        await page.getByRole('button', { name: 'Add', exact: true }).click();
        await page.getByRole('combobox', { name: 'Type' }).selectOption({ label: type });
        for (const [years, amount] of prices) {
          await page
            .getByRole('textbox', { name: `Price per name for ${years} year${years === 1 ? '' : 's'}` })
            .fill(amount);
        }
        await page.getByRole('button', { name: 'Ok', exact: true }).click();
        await page.waitForURL(/\/admin\/tariffs\/\d+\/config\??$/);
        await page.getByRole('cell', { name: type, exact: true }).waitFor();
      }
      expect(await tableRows(page.getByRole('main'))).toEqual([
        'Type Included names 1 year 2 years 3 years Actions',
        'Additional UC SANs domains 0 10.00 USD 10.00 USD 10.00 USD Edit Remove',
        'Additional domains 0 25.00 USD 45.00 USD 65.00 USD Edit Remove',
      ]);
      await h.screenshot(page, 'admin-tariff-config');

      const tariff = (await listTariffs(h.ctx.db.kysely)).find(
        (t) => t.name === 'OrganizationSSL multi-domain',
      );
      expect(tariff).toBeDefined();
      const stored = await getTariff(h.ctx.db.kysely, tariff!.id);
      expect(stored).toMatchObject({ product: 'OV', currency: 'USD', active: true });
      expect(stored.prices.map((p) => [p.years, p.price.amountMinor])).toEqual([
        [1, 9000],
        [2, 17000],
        [3, 25000],
      ]);
      const addons = Object.fromEntries(
        stored.addons.map((a) => [a.label, a.prices.map((p) => [p.years, p.price.amountMinor])]),
      );
      expect(addons).toEqual({
        'Additional UC SANs domains': [
          [1, 1000],
          [2, 1000],
          [3, 1000],
        ],
        'Additional domains': [
          [1, 2500],
          [2, 4500],
          [3, 6500],
        ],
      });
      expect(stored.modules.map((m) => m.moduleId)).toEqual([h.moduleId]);

      await menu(page).getByRole('link', { name: 'Tariff plans', exact: true }).click();
      const row = page
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: 'OrganizationSSL multi-domain' }) });
      expect(await row.textContent()).toContain('Additional UC SANs domains, Additional domains');
    },
    BROWSER_TEST_MS,
  );
});
