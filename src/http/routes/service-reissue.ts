import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requestClientReissue } from '../../subscriptions/request-client-reissue.ts';
import { authenticate, ownClientId } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';
import { ErrorBody } from './billing/schemas.ts';

const ServiceParams = Type.Object({ serviceId: Type.Integer({ minimum: 1 }) });
const ReissueBody = Type.Object(
  {
    csr: Type.Optional(
      Type.String({
        description:
          "A new CSR (PEM) for the same CN and names within the service's; leave out to let certbill generate a new key (only when certbill generated the service's key)",
      }),
    ),
  },
  { additionalProperties: false },
);
const RequestedReissue = Type.Object({
  serviceId: Type.Integer(),
  generationId: Type.Integer(),
  seq: Type.Integer(),
  key: Type.Union([Type.Literal('held'), Type.Literal('returned'), Type.Literal('client-csr')]),
  privateKeyPem: Type.Optional(
    Type.String({
      description: 'For a "Do not save the key" service, on this answer only: certbill keeps no copy',
    }),
  ),
  message: Type.String(),
});

/**
 * `POST /api/services/:serviceId/reissue`: the client's reissue of its Active service, with a new
 * key or a new CSR, at no charge (`requestClientReissue`). A client token for its own services
 * (another client's answers 404), an admin token for any.
 */
export const serviceReissueRoutes: RoutePlugin = async (app, ctx) => {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>() as App;
    scope.addHook('onRequest', authenticate(ctx));
    scope.post(
      '/api/services/:serviceId/reissue',
      {
        schema: {
          tags: ['services'],
          summary:
            'Reissue the certificate in use now, with a new key or a new CSR; free, within the paid period, never past paid until',
          description:
            'The new certificate is placed by the reissue job and issued like an automatic reissue; follow it in the service view. Refused (409) while another certificate of the service is on its way.',
          params: ServiceParams,
          body: Type.Optional(ReissueBody),
          response: { 202: RequestedReissue, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => {
        const requested = await requestClientReissue(ctx, {
          serviceId: req.params.serviceId,
          clientId: ownClientId(req),
          csr: req.body?.csr ?? null,
        });
        return reply.status(202).header('cache-control', 'no-store').send(requested);
      },
    );
  });
};
