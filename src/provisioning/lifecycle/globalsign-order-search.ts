import { GlobalSignClient } from '../../modules/globalsign/globalsign-client.ts';
import { asProvider } from '../../modules/globalsign/module-errors.ts';
import type { ModuleDeps, ModuleSettings } from '../module-registry.ts';
import type { CaOrderSearch } from './lifecycle-context.ts';

/**
 * GlobalSign's order search for reconciliation: GetCertificateOrders by FQDN (CN or SAN) and the
 * window the order was placed in. The composition root registers it for the `globalsign` kind; it
 * belongs with the GlobalSign module once the contract has a search method.
 * @example
 *   const search = createGlobalSignOrderSearch(settings, deps);
 *   await search.findOrders({ commonName: 'example.com', from, to }) → [{ caOrderId: 'CESM2604020001', placedAt: '…' }]
 */
export function createGlobalSignOrderSearch(settings: ModuleSettings, deps: ModuleDeps): CaOrderSearch {
  const client = new GlobalSignClient({
    baseUrl: settings.baseUrl,
    username: settings.username,
    password: settings.password,
    ...(settings.sourceAddress ? { sourceAddress: settings.sourceAddress } : {}),
    ...(settings.timeouts ? { timeouts: settings.timeouts } : {}),
    logger: deps.logger,
    clock: deps.clock,
  });
  return {
    async findOrders(input) {
      const result = await asProvider(() =>
        client.getCertificateOrders({ from: input.from, to: input.to, fqdn: input.commonName }),
      );
      return result.orders
        .filter((o) => o.fqdn.toLowerCase() === input.commonName.toLowerCase())
        .map((o) => ({
          caOrderId: o.orderId,
          ...(o.orderRequestDate ? { placedAt: o.orderRequestDate.toISOString() } : {}),
        }));
    },
    close: () => client.close(),
  };
}
