import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { deliverCertificate } from '../../provisioning/delivery/deliver-certificate.ts';
import { runDcvAction } from '../../provisioning/lifecycle/run-dcv-action.ts';
import { switchValidationMethod } from '../../provisioning/lifecycle/switch-validation-method.ts';
import { authenticate, ownClientId } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';

const ServiceParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const DcvMethod = Type.Union([Type.Literal('email'), Type.Literal('http'), Type.Literal('dns')]);
const DcvBody = Type.Object({
  approverEmail: Type.Optional(Type.String({ format: 'email' })),
  method: Type.Optional(DcvMethod),
});
const SwitchBody = Type.Object({
  method: DcvMethod,
  approverEmail: Type.Optional(Type.String({ format: 'email' })),
});

/**
 * The certificate of a service for its client (or an admin): `GET /api/services/:id/certificate?format=…`
 * and the validation actions `POST /api/services/:id/dcv/check|resend|approver`, and
 * `POST /api/services/:id/dcv/switch` (`method`, optional `approverEmail`; `dcv/method` is the same).
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

    for (const action of ['switch', 'method'] as const) {
      scope.post(
        `/api/services/:id/dcv/${action}`,
        {
          schema: {
            tags: ['services'],
            summary:
              action === 'switch'
                ? 'Domain validation: switch the pending order to another method (and approver)'
                : 'Domain validation: switch method (the same as dcv/switch)',
            description:
              'GlobalSign cannot change the method of a placed order: the pending CA order is cancelled and the certificate ordered again with the new method; the new instructions follow in the service view.',
            params: ServiceParams,
            body: SwitchBody,
          },
        },
        async (req) =>
          switchValidationMethod(ctx, {
            serviceId: req.params.id,
            clientId: ownClientId(req),
            method: req.body.method,
            ...(req.body.approverEmail ? { approverEmail: req.body.approverEmail } : {}),
          }),
      );
    }

    for (const action of ['check', 'resend', 'approver'] as const) {
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
          }),
      );
    }
  });
};
