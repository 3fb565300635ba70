import type { AppContext } from '../app-context.ts';
import { addProcessingModule } from '../provisioning/add-processing-module.ts';
import {
  addClient,
  addDepartment,
  addTariff,
  creditAccount,
  createApiToken,
  listTariffs,
} from '../billing/index.ts';
import { addStaffUser } from '../billing/add-staff-user.ts';
import { createDemoLogins, type DemoLogin } from '../ui/access/create-demo-logins.ts';

export interface DemoSeed {
  readonly adminToken: string;
  readonly clientToken: string;
  readonly clientId: number;
  readonly tariffIds: readonly number[];
  readonly moduleId: number | null;
  /** Panel logins with random passwords, printed once: the admin and the demo client's user. */
  readonly adminLogin: DemoLogin;
  readonly clientLogin: DemoLogin;
}

/** The Demo CA account the demo's GlobalSign module connects to. */
export interface DemoCaAccount {
  readonly username: string;
  readonly password: string;
}

const DEMO_ADMIN_EMAIL = 'admin@example.com';

const DEMO_TARIFFS = [
  { name: 'AlphaSSL', product: 'DV_LOW', prices: ['20.00', '38.00', '55.00', '70.00', '85.00'] },
  { name: 'DomainSSL', product: 'DV', prices: ['30.00', '55.00', '80.00', '100.00', '120.00'] },
  { name: 'OrganizationSSL', product: 'OV', prices: ['90.00', '170.00', '250.00', '320.00', '390.00'] },
  { name: 'ExtendedSSL', product: 'EV', prices: ['190.00', '360.00', '520.00', '680.00', '830.00'] },
] as const;

/**
 * The embedded demo's first start: a Support department, a GlobalSign processing module on the
 * Demo CA (added through the same wizard use case, so its connection is really checked), one
 * tariff per GlobalSign product with both SAN addons served by it, a demo client with 500.00 USD,
 * an admin and a client API token, and panel logins with random passwords for an admin
 * (admin@example.com) and the demo client's user (all returned once, to be printed). Does nothing
 * when any tariff exists, so a restart or a real installation is never seeded.
 */
export async function seedDemo(ctx: AppContext, demoCa?: DemoCaAccount): Promise<DemoSeed | null> {
  if ((await listTariffs(ctx.db.kysely)).length > 0) return null;
  await addDepartment(ctx, { name: 'Support' });
  const moduleId = demoCa
    ? (
        await addProcessingModule(ctx, {
          kind: 'globalsign',
          username: demoCa.username,
          password: demoCa.password,
          demo: true,
          name: 'GlobalSign (Demo)',
          department: 'Support',
          sort: 1,
          minBalance: '100.00',
        })
      ).module.id
    : null;
  const tariffIds: number[] = [];
  for (const t of DEMO_TARIFFS) {
    const tariff = await addTariff(ctx, {
      name: t.name,
      product: t.product,
      currency: 'USD',
      prices: t.prices.map((amount, i) => ({ years: i + 1, amount })),
      ucSanAddon: { price: '0.00' },
      domainAddon: { price: '15.00' },
      moduleIds: moduleId === null ? [] : [moduleId],
    });
    tariffIds.push(tariff.id);
  }
  const client = await addClient(ctx, { name: 'Demo client', email: 'demo@example.com', currency: 'USD' });
  await creditAccount(ctx, { clientId: client.id, amount: '500.00', idempotencyKey: 'demo-seed-credit' });
  const admin = await createApiToken(ctx, { scope: { kind: 'admin' }, label: 'demo admin' });
  const clientToken = await createApiToken(ctx, {
    scope: { kind: 'client', clientId: client.id },
    label: 'demo client',
  });
  await addStaffUser(ctx, { email: DEMO_ADMIN_EMAIL, name: 'Demo admin' });
  const logins = await createDemoLogins(ctx, {
    adminEmail: DEMO_ADMIN_EMAIL,
    clientEmail: 'demo@example.com',
  });
  return {
    ...logins,
    adminToken: admin.token,
    clientToken: clientToken.token,
    clientId: client.id,
    tariffIds,
    moduleId,
  };
}
