import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  listOrderApprovers,
  type OrderApprovers,
} from '../../provisioning/lifecycle/list-order-approvers.ts';
import { authenticate, ownClientId } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';

const Approvers = Type.Object({
  moduleId: Type.Integer(),
  commonName: Type.String(),
  approvers: Type.Array(Type.Object({ email: Type.String(), type: Type.String() })),
});

/**
 * The CA's approver addresses for e-mail validation: `GET /api/approvers?tariffId=&cn=&san=` before
 * ordering (the address goes into the order's `dcv` as `email:<address>`), and
 * `GET /api/services/:id/dcv/approvers` for a pending order (for `dcv/approver`).
 */
export const approverRoutes: RoutePlugin = async (app, ctx) => {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>() as App;
    scope.addHook('onRequest', authenticate(ctx));

    scope.get(
      '/api/approvers',
      {
        schema: {
          tags: ['orders'],
          summary: "The CA's approver addresses for an order's names (e-mail validation of DV)",
          querystring: Type.Object({
            tariffId: Type.Integer({ minimum: 1 }),
            cn: Type.String({ minLength: 1 }),
            san: Type.Optional(Type.String({ description: 'additional names, comma-separated' })),
          }),
          response: { 200: Approvers },
        },
      },
      async (req) =>
        approversJson(
          await listOrderApprovers(ctx, {
            tariffId: req.query.tariffId,
            commonName: req.query.cn,
            sans: (req.query.san ?? '').split(',').filter((s) => s.trim() !== ''),
          }),
        ),
    );

    scope.get(
      '/api/services/:id/dcv/approvers',
      {
        schema: {
          tags: ['services'],
          summary: "The CA's approver addresses for the service's pending order",
          params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
          response: { 200: Approvers },
        },
      },
      async (req) =>
        approversJson(
          await listOrderApprovers(ctx, { serviceId: req.params.id, clientId: ownClientId(req) }),
        ),
    );
  });
};

function approversJson(r: OrderApprovers) {
  return { ...r, approvers: r.approvers.map((a) => ({ email: a.email, type: a.type })) };
}
