import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ProvisioningGateway } from '../../../billing/provisioning-gateway.ts';
import { authenticate } from '../../auth.ts';
import type { App, RoutePlugin } from '../../build-app.ts';
import { catalogueRoutes } from './catalogue-routes.ts';
import { clientRoutes } from './client-routes.ts';
import { serviceRoutes } from './service-routes.ts';
import { tokenRoutes } from './token-routes.ts';

export interface BillingRoutesOptions {
  /** Where paid services go; default: they wait as `ordered` until provisioning plugs in. */
  readonly provisioning?: ProvisioningGateway;
}

/**
 * The billing API under `/api`, every route behind an API token (`Authorization: Bearer …`):
 * admin tokens see everything, a client token only its own client, account and services.
 * @example const app = await buildApp(ctx, [createBillingRoutes({ provisioning })]);
 */
export function createBillingRoutes(options: BillingRoutesOptions = {}): RoutePlugin {
  return async (app, ctx) => {
    const billing = { ...ctx, ...(options.provisioning ? { provisioning: options.provisioning } : {}) };
    await app.register(async (scope) => {
      const api = scope.withTypeProvider<TypeBoxTypeProvider>() as App;
      api.addHook('onRequest', authenticate(billing));
      clientRoutes(api, billing);
      catalogueRoutes(api, billing);
      serviceRoutes(api, billing);
      tokenRoutes(api, billing);
    });
  };
}

/** The billing API with provisioning pending. */
export const billingRoutes: RoutePlugin = createBillingRoutes();
