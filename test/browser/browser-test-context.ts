import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import type { AppContext } from '../../src/app-context.ts';
import { addDepartment, addTariff, creditAccount } from '../../src/billing/index.ts';
import { buildJobHandlers } from '../../src/compose.ts';
import type { LogLevelName, ModuleLogger } from '../../src/core/logs/module-logger.ts';
import { ROUTES } from '../../src/http/routes/index.ts';
import { Scheduler } from '../../src/jobs/scheduler.ts';
import { addProcessingModule } from '../../src/provisioning/add-processing-module.ts';
import { createLifecycleGateway } from '../../src/provisioning/lifecycle/record-order-intent.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { createTestContext, type TestContext } from '../support/app.ts';
import { createClientLogin, createStaffLogin, type Credentials } from '../support/panel.ts';

/** Debian's Chromium; `.ci/run` installs it. Browsers are never downloaded. */
export const CHROMIUM = process.env['CERTBILL_CHROMIUM'] || '/usr/bin/chromium';
/** Where the run writes the screenshots the README shows. */
export const SCREENSHOT_DIR = path.resolve(import.meta.dirname, '../../docs/screenshots');
export const VIEWPORT = { width: 1280, height: 800 } as const;
/** Waits for pages, elements, downloads and jobs: generous, for a slow 2-core CI machine. */
export const WAIT_MS = 30_000;
/** Test and hook timeout of a browser test file. */
export const BROWSER_TEST_MS = 180_000;

/** The Certification Authority account the simulator serves (GlobalSign's user name style). */
export const CA_USER = 'PAR12345_api';
export const CA_PASSWORD = 'browser-test-secret';
export const CA_BALANCE = '2500.00';

/** What the harness seeds through the use cases, in the seed's words. */
export const SEED = {
  department: 'Support',
  admin: { email: 'admin@example.com', password: 'admin password 2026', name: 'Ann Admin' },
  client: { email: 'client@example.com', password: 'client password 2026', name: 'Example Ltd' },
  clientCredit: '500.00',
  module: { name: 'GlobalSign (Demo)', minBalance: '100.00' },
  tariff: {
    name: 'DomainSSL multi-domain',
    prices: [
      { years: 1, amount: '30.00' },
      { years: 2, amount: '55.00' },
      { years: 5, amount: '100.00' },
    ],
    ucSanPrice: '5.00',
    domainPrice: '20.00',
  },
} as const;

/** One line a module logger wrote at `error` or worse: a failing route or job shows up here. */
export interface LoggedProblem {
  readonly module: string;
  readonly level: LogLevelName;
  readonly facility: string;
  readonly message: string;
}

export interface BrowserTestContext {
  /** certbill's context on a temp SQLite database; its TestClock stands still at 2026-04-02 12:00 UTC. */
  readonly ctx: TestContext;
  /** The panel's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly sim: RunningSimulator;
  readonly browser: Browser;
  readonly admin: Credentials & { staffId: number };
  readonly client: Credentials & { clientId: number; clientUserId: number };
  readonly moduleId: number;
  readonly tariffId: number;
  /** Uncaught JavaScript errors of every page opened, as `<url>: <message>`. */
  readonly pageErrors: string[];
  /** Errors the server and its jobs logged. */
  readonly problems: LoggedProblem[];
  /**
   * What went wrong since the last call, then forgets it: uncaught page errors, and the requests
   * that failed with a 500 (the panel logs them under the `http` facility).
   */
  takeErrors(): { pageErrors: string[]; serverErrors: string[] };
  /** A fresh browser context (own cookies) with a 1280×800 viewport and one page. */
  newPage(): Promise<Page>;
  /** Signs in through the login form and waits for the home page (`/admin` or `/client`). */
  signIn(page: Page, who: Credentials): Promise<void>;
  /** Writes `docs/screenshots/<name>.png` (the viewport, 1280×800). */
  screenshot(page: Page, name: string): Promise<string>;
  /** Calls the simulator's `/_control/<path>` and returns its JSON. */
  control<T = Record<string, unknown>>(pathName: string, body?: unknown): Promise<T>;
  /** A line per failing thing, for assertion messages: server errors, page errors. */
  diagnostics(): string;
  close(): Promise<void>;
}

/**
 * Everything a browser test needs, started for one test file: a GlobalSign simulator that
 * auto-approves validation, certbill on a temp SQLite database with the real routes (panel and API)
 * listening on 127.0.0.1:0, the job scheduler (every 200 ms) so paid orders reach the CA and come
 * back issued, and one headless Chromium. Seeded through the use cases: the Support department,
 * an admin and a client user with known passwords, the client's 500.00 USD, a GlobalSign module on
 * the simulator and a multi-domain DV tariff with both addons.
 *
 * @example
 *   const h = await startBrowserTest();
 *   const page = await h.newPage();
 *   await h.signIn(page, h.admin);
 *   await h.close();
 */
export async function startBrowserTest(): Promise<BrowserTestContext> {
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const problems: LoggedProblem[] = [];
    const base = await createTestContext('sqlite');
    closers.push(() => base.drop());
    const sim = await startSimulator({
      port: 0,
      host: '127.0.0.1',
      user: CA_USER,
      password: CA_PASSWORD,
      balance: CA_BALANCE,
      currency: 'USD',
      autoApprove: true,
      // The CA and certbill share one clock, so the issued certificate's dates follow the order's.
      clock: base.clock,
    });
    closers.push(() => sim.close());
    const logger = (module: string): ModuleLogger => problemLogger(module, problems);
    const ctx: TestContext = {
      ...base,
      log: logger('certbill'),
      logger,
      provisioning: createLifecycleGateway({ db: base.db, clock: base.clock }),
      provisioningSettings: {
        demoBaseUrl: sim.baseUrl,
        hostAddresses: () => ['127.0.0.1'],
        checkTimeouts: { connectMs: 10_000, readMs: 20_000 },
      },
    };
    const seeded = await seed(ctx);
    const server: RunningServer = await startServer(ctx, ROUTES, { host: '127.0.0.1', port: 0 });
    closers.push(() => server.close());
    const scheduler = new Scheduler(ctx, { handlers: buildJobHandlers(ctx), intervalMs: 200 });
    scheduler.start();
    closers.push(() => scheduler.stop());
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(
        `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium; .ci/run does) or set CERTBILL_CHROMIUM.`,
      );
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    closers.push(() => browser.close());

    const pageErrors: string[] = [];
    const contexts: BrowserContext[] = [];
    const control = async <T>(pathName: string, body?: unknown): Promise<T> => {
      const res = await fetch(sim.controlUrl + pathName, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`simulator control ${pathName}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    return {
      ctx,
      url: server.url,
      sim,
      browser,
      ...seeded,
      pageErrors,
      problems,
      async newPage() {
        const context = await browser.newContext({
          baseURL: server.url,
          viewport: VIEWPORT,
          acceptDownloads: true,
          locale: 'en-US',
          timezoneId: 'UTC',
        });
        context.setDefaultTimeout(WAIT_MS);
        context.setDefaultNavigationTimeout(WAIT_MS);
        contexts.push(context);
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
        return page;
      },
      async signIn(page, who) {
        await page.goto('/login');
        await page.getByLabel('E-mail').fill(who.email);
        await page.getByLabel('Password').fill(who.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => /^\/(admin|client)(\/|$)/.test(url.pathname));
      },
      async screenshot(page, name) {
        fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
        const file = path.join(SCREENSHOT_DIR, `${name}.png`);
        await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
        return file;
      },
      control,
      takeErrors: () => {
        const serverErrors = problems.filter((p) => p.facility === 'http').map((p) => p.message);
        problems.length = 0;
        return { pageErrors: pageErrors.splice(0), serverErrors };
      },
      diagnostics() {
        return [
          ...problems.map((p) => `server ${p.module} ${p.level} ${p.facility}: ${p.message}`),
          ...pageErrors.map((e) => `page error ${e}`),
        ].join('\n');
      },
      close: async () => {
        for (const c of contexts) await c.close().catch(() => undefined);
        await close();
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function seed(ctx: AppContext) {
  await addDepartment(ctx, { name: SEED.department });
  const admin = await createStaffLogin(ctx, SEED.admin);
  const client = await createClientLogin(ctx, SEED.client);
  await creditAccount(ctx, {
    clientId: client.clientId,
    amount: SEED.clientCredit,
    currency: 'USD',
    idempotencyKey: 'browser-test-credit',
  });
  const added = await addProcessingModule(ctx, {
    kind: 'globalsign',
    username: CA_USER,
    password: CA_PASSWORD,
    demo: true,
    name: SEED.module.name,
    department: SEED.department,
    sort: 1,
    minBalance: SEED.module.minBalance,
  });
  const tariff = await addTariff(ctx, {
    name: SEED.tariff.name,
    product: 'DV',
    currency: 'USD',
    prices: SEED.tariff.prices,
    ucSanAddon: { price: SEED.tariff.ucSanPrice },
    domainAddon: { price: SEED.tariff.domainPrice },
    moduleIds: [added.module.id],
  });
  return { admin, client, moduleId: added.module.id, tariffId: tariff.id };
}

/** Keeps what a module logs at `error` or worse; everything else is dropped as in other tests. */
function problemLogger(module: string, problems: LoggedProblem[]): ModuleLogger {
  const kept = (level: LogLevelName) => level === 'critical' || level === 'error';
  return {
    module,
    enabled: kept,
    write: (level, facility, message) => {
      if (kept(level)) problems.push({ module, level, facility, message });
    },
  };
}

/**
 * Selects the option of a `<select>` whose text matches `pattern` (the seed's words may be part of
 * a longer option text, e.g. "DomainSSL (DV)"); fails listing the options when none or several match.
 */
export async function chooseOption(select: Locator, pattern: RegExp): Promise<string> {
  await select.waitFor();
  const labels = (await select.locator('option').allTextContents()).map((t) => t.trim());
  const matching = labels.filter((l) => pattern.test(l));
  if (matching.length !== 1) {
    throw new Error(`${matching.length} options match ${pattern}; the options are: ${labels.join(' | ')}`);
  }
  await select.selectOption({ label: matching[0]! });
  return matching[0]!;
}

/** Each row of the tables in `scope` as its cells' texts joined by one space, e.g. `'example.com Domain (CN)'`. */
export async function tableRows(scope: Locator): Promise<string[]> {
  interface Cell {
    readonly textContent: string | null;
  }
  interface Row {
    querySelectorAll(selector: string): Iterable<Cell>;
  }
  return scope.getByRole('row').evaluateAll((rows: Row[]) =>
    rows.map((r) =>
      Array.from(r.querySelectorAll('th, td'))
        .map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())
        .join(' '),
    ),
  );
}
