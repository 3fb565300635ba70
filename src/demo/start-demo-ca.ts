import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '../../ca-simulator/server.ts';
import type { AppContext } from '../app-context.ts';

const PASSWORD_KEY = 'demo.simulator.password';
export const DEMO_CA_USER = 'PAR_demo_api';

export interface DemoCa {
  readonly simulator: RunningSimulator;
  readonly username: string;
  readonly password: string;
}

/**
 * Starts the built-in GlobalSign simulator as the Demo CA of the embedded default: same SOAP wire
 * format as GlobalSign's test system, auto-approving validations, state kept beside the database.
 * The API password is random, made on first start and kept sealed in `app_settings`.
 */
export async function startDemoCa(ctx: AppContext, opts: { port: number; dataDir: string }): Promise<DemoCa> {
  const password = await demoPassword(ctx);
  const simulator = await startSimulator({
    port: opts.port,
    host: '127.0.0.1',
    user: DEMO_CA_USER,
    password,
    balance: '10000.00',
    currency: 'USD',
    stateFile: path.join(opts.dataDir, 'globalsign-simulator.json'),
    autoApprove: true,
  });
  ctx.log.write('notice', 'demo', `Demo CA (GlobalSign simulator) serving ${simulator.baseUrl}`);
  return { simulator, username: DEMO_CA_USER, password };
}

async function demoPassword(ctx: AppContext): Promise<string> {
  const row = await ctx.db.kysely
    .selectFrom('app_settings')
    .select('value')
    .where('key', '=', PASSWORD_KEY)
    .executeTakeFirst();
  if (row) return ctx.secrets.open(row.value, PASSWORD_KEY);
  const password = randomBytes(18).toString('base64url');
  await ctx.db.kysely
    .insertInto('app_settings')
    .values({
      key: PASSWORD_KEY,
      value: ctx.secrets.seal(password, PASSWORD_KEY),
      updated_at: ctx.clock.now().toISOString(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return demoPassword(ctx);
}
