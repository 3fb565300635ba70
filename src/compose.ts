import fs from 'node:fs';
import path from 'node:path';
import type { AppContext, SubscriptionOverride } from './app-context.ts';
import { randomBytes } from 'node:crypto';
import { SystemClock, type Clock } from './core/clock.ts';
import { loadConfig, subscriptionOverride, type LoadedConfig } from './core/config/index.ts';
import { checkDebugConf, createLogRegistry, nullLogger, type LogRegistry } from './core/logs/index.ts';
import { createSecretBox } from './core/secrets/index.ts';
import { openDatabase, type Database } from './db/database.ts';
import { JobHandlers } from './jobs/job-handlers.ts';
import { registerGlobalSign } from './modules/globalsign/globalsign-module.ts';
import { createModuleRegistry, type ModuleRegistry } from './provisioning/module-registry.ts';
import { createGlobalSignOrderSearch } from './provisioning/lifecycle/globalsign-order-search.ts';
import { createLifecycleGateway } from './provisioning/lifecycle/record-order-intent.ts';
import { registerLifecycleJobs } from './provisioning/lifecycle/register-lifecycle-jobs.ts';
import { registerModuleJobs } from './provisioning/register-module-jobs.ts';
import { registerSubscriptionJobs } from './subscriptions/register-subscription-jobs.ts';
import { notificationJobDeps, registerNotificationJobs } from './notifications/register-notification-jobs.ts';
import { migrateToLatest } from './db/migrate.ts';

export function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface ComposeOptions {
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  migrate?: boolean;
  /** Create the secret key file when it does not exist (the server's first start). */
  createSecretKey?: boolean;
}

export interface ComposedApp extends AppContext {
  readonly loaded: LoadedConfig;
  readonly logs: LogRegistry;
}

/**
 * The composition root: reads and validates the configuration (a bad value stops here, naming file,
 * line and what is allowed), opens the logs, the secret key and the database (migrating it), and
 * builds the context that the server, the CLI and the jobs share. Close it with `closeAppContext`.
 */
export async function composeAppContext(opts: ComposeOptions = {}): Promise<ComposedApp> {
  const env = opts.env ?? process.env;
  const clock = opts.clock ?? new SystemClock();
  const loaded = loadConfig({ env });
  const etcDir = env['CERTBILL_ETC'] || './etc';
  checkDebugConf(etcDir);
  const config = loaded.config;
  const logs = createLogRegistry({ dir: config.logDir, etcDir, clock });
  const secrets = createSecretBox({
    env,
    keyFile: config.secretKeyFile,
    create: opts.createSecretKey ?? true,
    onSecret: (v) => logs.registerSecret(v),
  });
  const db = await openDatabase(config.databaseUrl);
  const modules = createProcessingModuleRegistry();
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    version: readVersion(),
    clock,
    db,
    log: logs.logger('certbill'),
    logger: (module) => logs.logger(module),
    subscriptionOverride: toSubscriptionOverride(loaded),
    config,
    secrets,
    modules,
    provisioning: createLifecycleGateway({ db, clock }),
    provisioningSettings: config.demoSimulator
      ? { demoBaseUrl: `http://127.0.0.1:${config.demoSimulatorPort}/kb/ws/v1/` }
      : {},
    loaded,
    logs,
  };
}

/** Every processing-module kind certbill ships; a new CA registers here and nowhere else. */
export function createProcessingModuleRegistry(): ModuleRegistry {
  const registry = createModuleRegistry();
  registerGlobalSign(registry);
  return registry;
}

function toSubscriptionOverride(loaded: LoadedConfig): SubscriptionOverride {
  const o = subscriptionOverride(loaded);
  const where = (note: string) => note.replace(/^overridden by /, '');
  return {
    ...(o.policy ? { policy: { value: o.policy.value, source: where(o.policy.note) } } : {}),
    ...(o.before ? { before: { value: o.before.value, source: where(o.before.note) } } : {}),
  };
}

export async function closeAppContext(ctx: AppContext & { logs?: LogRegistry }): Promise<void> {
  await ctx.db.close();
  ctx.logs?.close();
}

/**
 * Every job kind the scheduler runs, with its handler. The provisioning and subscription work
 * register theirs here, so the scheduler itself never imports a use case.
 */
export function buildJobHandlers(ctx: AppContext): JobHandlers {
  const handlers = new JobHandlers();
  const deps = {
    modules: ctx.modules,
    provisioningSettings: ctx.provisioningSettings,
    lifecycle: { orderSearches: new Map([['globalsign', createGlobalSignOrderSearch]]) },
  };
  registerLifecycleJobs(handlers, deps);
  registerSubscriptionJobs(handlers, deps);
  registerModuleJobs(handlers, { ...deps, balanceRefreshMs: ctx.config.balanceRefreshHours * 3_600_000 });
  registerNotificationJobs(handlers, notificationJobDeps(ctx));
  return handlers;
}

/**
 * A context over an open database with every default and nothing written outside it: no config
 * file, silent logs, a throwaway secret key. For tests, benchmarks and worker fixtures.
 */
export function composeBareContext(db: Database, opts: { clock?: Clock; version?: string } = {}): AppContext {
  return {
    version: opts.version ?? 'bare',
    clock: opts.clock ?? new SystemClock(),
    db,
    log: nullLogger,
    logger: () => nullLogger,
    subscriptionOverride: {},
    config: loadConfig({ etcDir: '/nonexistent-certbill-etc', env: {} }).config,
    secrets: createSecretBox({
      env: { CERTBILL_SECRET_KEY: randomBytes(32).toString('base64') },
      keyFile: '/nonexistent-certbill-etc/secret.key',
      create: false,
    }),
    modules: createProcessingModuleRegistry(),
    provisioningSettings: {},
  };
}
