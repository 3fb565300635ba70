import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deliverCertificate } from '../../provisioning/delivery/deliver-certificate.ts';
import { runDcvAction } from '../../provisioning/lifecycle/run-dcv-action.ts';
import { authenticate, ownClientId } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';

const ServiceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const DcvBody = Type.Object({
  approverEmail: Type.Optional(Type.String({ format: 'email' })),
  method: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('http'), Type.Literal('dns')])),
});

/**
 * The certificate of a service for its client (or an admin): `GET /api/services/:id/certificate?format=…`
 * and the validation actions `POST /api/services/:id/dcv/check|resend|approver|method`.
 */
export const serviceCertificateRoutes: RoutePlugin = async (app, ctx) => {
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>() as App;
    scope.addHook('onRequest', authenticate(ctx));

    scope.get(
      '/api/services/:id/certificate',
      {
        schema: {
          tags: ['services'],
          summary: 'Download the current certificate (pem, chain, fullchain, p7b, p12, zip)',
          params: ServiceParams,
          querystring: Type.Object({
            format: Type.String({ default: 'fullchain' }),
            password: Type.Optional(Type.String()),
          }),
        },
      },
      async (req, reply) => {
        const file = await deliverCertificate(ctx, {
          serviceId: req.params.id,
          format: req.query.format,
          clientId: ownClientId(req),
          ...(req.query.password !== undefined ? { password: req.query.password } : {}),
        });
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .send(file.body);
      },
    );

    for (const action of ['check', 'resend', 'approver', 'method'] as const) {
      scope.post(
        `/api/services/:id/dcv/${action}`,
        {
          schema: {
            tags: ['services'],
            summary: `Domain validation: ${action}`,
            params: ServiceParams,
            body: DcvBody,
          },
        },
        async (req) =>
          runDcvAction(ctx, {
            serviceId: req.params.id,
            clientId: ownClientId(req),
            ...(action === 'check' ? { check: true } : {}),
            ...(action === 'resend' ? { resend: true } : {}),
            ...(action === 'approver' && req.body.approverEmail
              ? { approverEmail: req.body.approverEmail }
              : {}),
            ...(action === 'method' && req.body.method ? { method: req.body.method } : {}),
          }),
      );
    }
  });
};
