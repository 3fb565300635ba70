import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../../app-context.ts';
import { addTariff, setTariffActive } from '../../../billing/add-tariff.ts';
import type { BillingContext } from '../../../billing/billing-context.ts';
import { readSslProductSettings, updateSslProductSettings } from '../../../billing/product-settings.ts';
import { quoteOrder } from '../../../billing/quote-tariff-order.ts';
import { setTariffPrice } from '../../../billing/set-tariff-price.ts';
import { removeTariffAddon } from '../../../billing/remove-tariff-addon.ts';
import { setTariffAddon } from '../../../billing/set-tariff-addon.ts';
import { updateTariff } from '../../../billing/update-tariff.ts';
import { getTariff, listTariffs } from '../../../billing/tariff-repository.ts';
import { AppError } from '../../../core/errors/index.ts';
import { principalOf, requireAdmin } from '../../auth.ts';
import type { App } from '../../build-app.ts';
import {
  AddTariffBody,
  Amount,
  ErrorBody,
  Id,
  OrderNames,
  Quote,
  SslProductSettings,
  Tariff,
  TariffAddonBody,
  UpdateTariffBody,
  List,
} from './schemas.ts';

const TariffParams = Type.Object({ tariffId: Id });

/** The SSL product type's settings, tariffs with their addons, and quotes. */
export function catalogueRoutes(
  app: App,
  ctx: BillingContext & Pick<AppContext, 'subscriptionOverride'>,
): void {
  app.get(
    '/api/product-types/ssl',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Show the SSL certificates product type with its Subscription block and where each value comes from (admin)',
        response: { 200: SslProductSettings },
      },
    },
    async (req) => {
      requireAdmin(req);
      return readSslProductSettings(ctx);
    },
  );

  app.put(
    '/api/product-types/ssl/subscription',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Set the Subscription block: processing policy (auto, manual, none) and days before expiration (admin)',
        body: Type.Object(
          {
            policy: Type.Optional(Type.String({ description: 'auto, manual or none' })),
            before: Type.Optional(Type.Integer({ description: 'days, 1..200, default 10' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SslProductSettings, 400: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return updateSslProductSettings(ctx, req.body);
    },
  );

  app.post(
    '/api/tariffs',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Create a certificate tariff with prices per period, addons and processing modules (admin)',
        body: AddTariffBody,
        response: { 201: Tariff, 400: ErrorBody },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      return reply.status(201).send(await addTariff(ctx, req.body));
    },
  );

  app.get(
    '/api/tariffs',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'List tariffs (a client token sees the active ones)',
        response: { 200: Type.Object({ tariffs: List(Tariff) }) },
      },
    },
    async (req) => {
      const activeOnly = principalOf(req).kind === 'client';
      return { tariffs: await listTariffs(ctx.db.kysely, { activeOnly }) };
    },
  );

  app.get(
    '/api/tariffs/:tariffId',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Show a tariff (a client token sees active ones)',
        params: TariffParams,
        response: { 200: Tariff, 404: ErrorBody },
      },
    },
    async (req) => {
      const tariff = await getTariff(ctx.db.kysely, req.params.tariffId);
      if (!tariff.active && principalOf(req).kind === 'client') {
        throw new AppError('BILLING_TARIFF_NOT_FOUND', `Tariff ${tariff.id} does not exist.`, {
          tariffId: tariff.id,
        });
      }
      return tariff;
    },
  );

  app.patch(
    '/api/tariffs/:tariffId',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Activate or deactivate a tariff (admin)',
        params: TariffParams,
        body: Type.Object({ active: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: Tariff, 404: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return setTariffActive(ctx, req.params.tariffId, req.body.active);
    },
  );

  app.put(
    '/api/tariffs/:tariffId',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Edit a tariff: name, active, the prices of every period it sells, its processing modules in order (admin)',
        params: TariffParams,
        body: UpdateTariffBody,
        response: { 200: Tariff, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return updateTariff(ctx, { tariffId: req.params.tariffId, ...req.body });
    },
  );

  app.put(
    '/api/tariffs/:tariffId/addons/:kind',
    {
      schema: {
        tags: ['catalogue'],
        summary:
          'Add an addon to a tariff or replace its prices: uc-san (Additional UC SANs domains) or additional-domain (Additional domains) (admin)',
        params: Type.Object({
          tariffId: Id,
          kind: Type.Union([Type.Literal('uc-san'), Type.Literal('additional-domain')]),
        }),
        body: TariffAddonBody,
        response: { 200: Tariff, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return setTariffAddon(ctx, { tariffId: req.params.tariffId, kind: req.params.kind, ...req.body });
    },
  );

  app.delete(
    '/api/tariffs/:tariffId/addons/:kind',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Remove an addon from a tariff; paid services keep their prices (admin)',
        params: Type.Object({
          tariffId: Id,
          kind: Type.Union([Type.Literal('uc-san'), Type.Literal('additional-domain')]),
        }),
        response: { 200: Tariff, 404: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return removeTariffAddon(ctx, { tariffId: req.params.tariffId, kind: req.params.kind });
    },
  );

  app.put(
    '/api/tariffs/:tariffId/prices/:years',
    {
      schema: {
        tags: ['catalogue'],
        summary: 'Set the price of one period; paid services keep theirs (admin)',
        params: Type.Object({ tariffId: Id, years: Type.Integer({ minimum: 1, maximum: 5 }) }),
        body: Type.Object({ amount: Amount }, { additionalProperties: false }),
        response: { 200: Tariff, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => {
      requireAdmin(req);
      return setTariffPrice(ctx, {
        tariffId: req.params.tariffId,
        years: req.params.years,
        amount: req.body.amount,
      });
    },
  );

  app.post(
    '/api/quotes',
    {
      schema: {
        tags: ['orders'],
        summary: 'Price an order before paying: normalised names, their addon class and a breakdown by addon',
        body: Type.Object(OrderNames, { additionalProperties: false }),
        response: { 200: Quote, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (req) => quoteOrder(ctx, req.body),
  );
}
