import { Type } from '@sinclair/typebox';
import type { BillingContext } from '../../../billing/billing-context.ts';
import { cancelService } from '../../../billing/cancel-service.ts';
import { placeCertificateOrder } from '../../../billing/place-certificate-order.ts';
import { renewService } from '../../../billing/renew-service.ts';
import {
  getService,
  listServices,
  serviceNotFound,
  SERVICE_STATUSES,
  viewService,
} from '../../../billing/service-repository.ts';
import { AppError } from '../../../core/errors/index.ts';
import { retryService } from '../../../provisioning/lifecycle/retry-service.ts';
import { ownClientId, requireAdmin, requireClient } from '../../auth.ts';
import type { App } from '../../build-app.ts';
import {
  CancelledService,
  ErrorBody,
  Id,
  IdempotencyHeaders,
  PlacedOrder,
  PlaceOrderBody,
  RenewedService,
  ServiceView,
  List,
} from './schemas.ts';

const ServiceParams = Type.Object({ serviceId: Id });

/** Orders, services, cancellation with refund, renewal. */
export function serviceRoutes(app: App, ctx: BillingContext): void {
  /** Loads a service the caller may see; another client's service is "not found". */
  async function visibleService(req: Parameters<typeof ownClientId>[0], serviceId: number) {
    const service = await getService(ctx.db.kysely, serviceId);
    requireClient(req, service.clientId, () => serviceNotFound(serviceId));
    return service;
  }

  app.post(
    '/api/orders',
    {
      schema: {
        tags: ['orders'],
        summary:
          'Order a certificate: priced by the tariff, paid from the balance, the service starts as ordered (Idempotency-Key required)',
        description:
          'A client token orders for its own client (clientId may be left out); an admin token names the client.',
        headers: IdempotencyHeaders,
        body: PlaceOrderBody,
        response: {
          201: PlacedOrder,
          200: PlacedOrder,
          400: ErrorBody,
          402: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const own = ownClientId(req);
      const clientId = own ?? req.body.clientId;
      if (clientId === undefined) {
        throw new AppError(
          'CORE_VALIDATION',
          'An admin token must name the client: add "clientId" to the body.',
        );
      }
      if (own !== null && req.body.clientId !== undefined && req.body.clientId !== own) {
        throw new AppError('BILLING_CLIENT_NOT_FOUND', `Client ${req.body.clientId} does not exist.`);
      }
      const { clientId: _ignored, ...order } = req.body;
      const placed = await placeCertificateOrder(ctx, {
        ...order,
        clientId,
        idempotencyKey: req.headers['idempotency-key'],
      });
      return reply.status(placed.replayed ? 200 : 201).send(placed);
    },
  );

  app.get(
    '/api/services',
    {
      schema: {
        tags: ['services'],
        summary: 'List services, newest first (a client token sees its own)',
        querystring: Type.Object({
          clientId: Type.Optional(Id),
          status: Type.Optional(Type.Union(SERVICE_STATUSES.map((s) => Type.Literal(s)))),
        }),
        response: { 200: Type.Object({ services: List(ServiceView) }) },
      },
    },
    async (req) => {
      const own = ownClientId(req);
      const clientId = own ?? req.query.clientId;
      if (own !== null && req.query.clientId !== undefined && req.query.clientId !== own)
        return { services: [] };
      const services = await listServices(ctx.db.kysely, { clientId, status: req.query.status });
      return { services: services.map(viewService) };
    },
  );

  app.get(
    '/api/services/:serviceId',
    {
      schema: {
        tags: ['services'],
        summary: 'Show a service: status, Expiration date, Paid until, names, price paid',
        params: ServiceParams,
        response: { 200: ServiceView, 404: ErrorBody },
      },
    },
    async (req) => viewService(await visibleService(req, req.params.serviceId)),
  );

  app.post(
    '/api/services/:serviceId/cancel',
    {
      schema: {
        tags: ['services'],
        summary:
          'Cancel with a full refund: not issued and ordered at most 30 days ago, or issued at most 6 days ago (Idempotency-Key required)',
        params: ServiceParams,
        headers: IdempotencyHeaders,
        response: { 200: CancelledService, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (req) => {
      await visibleService(req, req.params.serviceId);
      return cancelService(ctx, {
        serviceId: req.params.serviceId,
        idempotencyKey: req.headers['idempotency-key'],
      });
    },
  );

  app.post(
    '/api/services/:serviceId/retry',
    {
      schema: {
        tags: ['services'],
        summary:
          'Order the certificate of a failed service again, once what failed it is fixed; not charged again (admin)',
        params: ServiceParams,
        response: {
          200: Type.Object({
            serviceId: Id,
            generationId: Id,
            seq: Type.Integer(),
            closedTaskIds: List(Id),
          }),
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req) => {
      requireAdmin(req);
      return retryService(ctx, req.params.serviceId);
    },
  );

  app.post(
    '/api/services/:serviceId/renew',
    {
      schema: {
        tags: ['services'],
        summary:
          'Buy the next paid period at the current tariff price, as a renewal service (Idempotency-Key required)',
        params: ServiceParams,
        headers: IdempotencyHeaders,
        body: Type.Optional(
          Type.Object(
            { years: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })) },
            { additionalProperties: false },
          ),
        ),
        response: {
          201: RenewedService,
          200: RenewedService,
          402: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      await visibleService(req, req.params.serviceId);
      const renewed = await renewService(ctx, {
        serviceId: req.params.serviceId,
        years: req.body?.years,
        idempotencyKey: req.headers['idempotency-key'],
      });
      return reply.status(renewed.replayed ? 200 : 201).send(renewed);
    },
  );
}
