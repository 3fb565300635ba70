import path from 'node:path';
import type { Command } from 'commander';
import { buildJobHandlers, closeAppContext, composeAppContext } from '../../compose.ts';
import { Scheduler } from '../../jobs/scheduler.ts';
import { sweepOrderedServices } from '../../provisioning/lifecycle/record-order-intent.ts';
import { AppError } from '../../core/errors/index.ts';
import { redactUrl } from '../../db/database.ts';
import { seedDemo, type DemoSeed } from '../../demo/seed-demo.ts';
import { startDemoCa, type DemoCa } from '../../demo/start-demo-ca.ts';
import { ROUTES } from '../../http/routes/index.ts';
import { startServer } from '../../server.ts';
import { printError } from '../output.ts';

interface StartOptions {
  port?: string;
  host?: string;
  json?: boolean;
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Run the server: panel, API and scheduler (the demo default also starts the GlobalSign simulator)',
    )
    .option('--port <port>', 'listen port (default ListenPort, 8080)')
    .option('--host <addr>', 'listen address (default ListenAddress, 127.0.0.1)')
    .option('--json', 'print the start-up summary as JSON')
    .action(async (opts: StartOptions) => {
      try {
        await runServer(opts);
      } catch (e) {
        printError(e, Boolean(opts.json));
        process.exitCode = e instanceof AppError && (e.kind === 'config' || e.kind === 'validation') ? 2 : 1;
      }
    });
}

async function runServer(opts: StartOptions): Promise<void> {
  const port = opts.port === undefined ? undefined : Number(opts.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new AppError('CORE_VALIDATION', `--port ${opts.port} is not a port: use 1..65535.`);
  }
  const ctx = await composeAppContext({ createSecretKey: true });
  let demoCa: DemoCa | undefined;
  let seed: DemoSeed | null = null;
  if (ctx.config.demoSimulator) {
    const dataDir = ctx.db.dialect === 'sqlite' ? path.dirname(ctx.db.url.slice('sqlite:'.length)) : './data';
    demoCa = await startDemoCa(ctx, { port: ctx.config.demoSimulatorPort, dataDir });
    seed = await seedDemo(ctx, demoCa);
  }
  const server = await startServer(ctx, ROUTES, {
    host: opts.host ?? ctx.config.listenAddress,
    port: port ?? ctx.config.listenPort,
  });
  await sweepOrderedServices(ctx);
  const scheduler = new Scheduler(ctx, { handlers: buildJobHandlers(ctx) });
  scheduler.start();
  const summary = {
    url: server.url,
    apiDocs: `${server.url}/api/docs`,
    database: redactUrl(ctx.db.url),
    logDir: ctx.config.logDir,
    demoCa: demoCa ? demoCa.simulator.baseUrl : null,
    ...(seed
      ? {
          demoLogins: {
            adminToken: seed.adminToken,
            clientToken: seed.clientToken,
            panel: `${server.url}/login`,
            admin: seed.adminLogin,
            client: seed.clientLogin,
          },
        }
      : {}),
  };
  ctx.log.write(
    'notice',
    'server',
    `certbill ${ctx.version} listening on ${server.url} (database ${summary.database})`,
  );
  process.stdout.write(
    opts.json
      ? JSON.stringify(summary) + '\n'
      : `certbill ${ctx.version} is running on ${server.url}\n  API and its documentation: ${summary.apiDocs}\n  database: ${summary.database}\n  logs: ${summary.logDir}\n` +
          (demoCa
            ? `  Demo CA (built-in GlobalSign simulator): ${demoCa.simulator.baseUrl} — approver inbox ${demoCa.simulator.controlUrl}inbox\n`
            : '') +
          (seed
            ? `First start of the demo: module "GlobalSign (Demo)", tariffs AlphaSSL, DomainSSL, OrganizationSSL and ExtendedSSL, client ${seed.clientId} with 500.00 USD.\n` +
              `  API token (admin), shown once:  ${seed.adminToken}\n` +
              `  API token (demo client), shown once: ${seed.clientToken}\n` +
              `  Panel ${server.url}/login, shown once:\n` +
              `    admin        ${seed.adminLogin.email}  password ${seed.adminLogin.password}\n` +
              `    demo client  ${seed.clientLogin.email}  password ${seed.clientLogin.password}\n`
            : '') +
          'Press Ctrl+C to stop.\n',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.write('notice', 'server', `stopping on ${signal}`);
    await server.close();
    await scheduler.stop();
    await demoCa?.simulator.close();
    await closeAppContext(ctx);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
