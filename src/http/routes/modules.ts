import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../app-context.ts';
import { addProcessingModule } from '../../provisioning/add-processing-module.ts';
import { checkProcessingModule } from '../../provisioning/check-processing-module.ts';
import { describeModuleWizard } from '../../provisioning/describe-module-wizard.ts';
import type { ModuleRegistry } from '../../provisioning/module-registry.ts';
import { getProcessingModule, listProcessingModules } from '../../provisioning/module-repository.ts';
import type { ProvisioningContext, ProvisioningSettings } from '../../provisioning/provisioning-context.ts';
import { refreshModuleBalance } from '../../provisioning/refresh-module-balance.ts';
import { updateProcessingModule } from '../../provisioning/update-processing-module.ts';
import { authenticate, requireAdmin } from '../auth.ts';
import type { App, RoutePlugin } from '../build-app.ts';
import { ErrorBody, Id, List, Money, Nullable } from './billing/schemas.ts';

const Timeout = (maximum: number, description: string) => Type.Integer({ minimum: 1, maximum, description });
const DecimalAmount = Type.String({ pattern: '^\\d{1,13}(\\.\\d{1,3})?$', examples: ['500.00'] });

const ModuleView = Type.Object(
  {
    id: Id,
    kind: Type.String(),
    productType: Type.String(),
    name: Type.String(),
    username: Type.String(),
    demo: Type.Boolean(),
    url: Nullable(Type.String()),
    sourceAddress: Nullable(Type.String()),
    department: Nullable(Type.Object({ id: Id, name: Type.String() })),
    sort: Type.Integer(),
    minBalance: Nullable(Money),
    enabled: Type.Boolean(),
    balance: Nullable(Money),
    balanceReadAt: Nullable(Type.String({ format: 'date-time' })),
    balanceBelowMinimum: Type.Boolean(),
    lastCheckAt: Nullable(Type.String({ format: 'date-time' })),
    connectTimeoutSeconds: Type.Integer({ description: 'Seconds to connect to the CA' }),
    readTimeoutSeconds: Type.Integer({ description: "Seconds to wait for the CA's answer" }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { description: 'A processing module; the password is never part of it.' },
);

const ModuleBalance = Type.Object({
  amountMinor: Type.Integer(),
  currency: Type.String(),
  readAt: Type.String({ format: 'date-time' }),
});

const WizardField = Type.Object({
  name: Type.String(),
  label: Type.String(),
  description: Type.String(),
  type: Type.String(),
  required: Type.Boolean(),
  choices: Type.Optional(List(Type.Object({ value: Type.String(), label: Type.String() }))),
  default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
});

const Wizard = Type.Object({
  steps: List(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      description: Type.Optional(Type.String()),
      fields: List(WizardField),
    }),
  ),
  kinds: List(Type.Object({ kind: Type.String(), title: Type.String(), productType: Type.String() })),
  ipAddresses: List(Type.String()),
  failure: Type.Object({ message: Type.String(), hints: List(Type.String()) }),
});

const AddBody = Type.Object(
  {
    productType: Type.Optional(Type.String({ description: 'ssl (SSL certificates)', default: 'ssl' })),
    kind: Type.String({ description: 'Processing module, e.g. globalsign' }),
    username: Type.String({ description: 'Username' }),
    password: Type.String({ description: 'Password (stored encrypted, never returned)' }),
    demo: Type.Optional(Type.Boolean({ description: 'Demo' })),
    url: Type.Optional(Nullable(Type.String({ description: "The CA API's base URL; overrides Demo" }))),
    sourceAddress: Type.Optional(
      Nullable(Type.String({ description: 'IP address: one of this host’s, or none' })),
    ),
    name: Type.String({ description: 'Name' }),
    department: Type.Optional(Nullable(Type.Union([Type.String(), Type.Integer()]))),
    sort: Type.Optional(Type.Integer({ minimum: 0, description: 'Sort: the lowest is tried first' })),
    minBalance: Type.Optional(Nullable(DecimalAmount)),
    connectTimeout: Type.Optional(Nullable(Timeout(300, 'Seconds to connect to the CA (default 10)'))),
    readTimeout: Type.Optional(Nullable(Timeout(600, "Seconds to wait for the CA's answer (default 60)"))),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    name: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    demo: Type.Optional(Type.Boolean()),
    url: Type.Optional(Nullable(Type.String())),
    sourceAddress: Type.Optional(Nullable(Type.String())),
    department: Type.Optional(Nullable(Type.Union([Type.String(), Type.Integer()]))),
    sort: Type.Optional(Type.Integer({ minimum: 0 })),
    minBalance: Type.Optional(Nullable(DecimalAmount)),
    enabled: Type.Optional(Type.Boolean()),
    connectTimeout: Type.Optional(Nullable(Timeout(300, 'Seconds to connect to the CA; null = 10'))),
    readTimeout: Type.Optional(Nullable(Timeout(600, "Seconds to wait for the CA's answer; null = 60"))),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ moduleId: Id });

export interface ModuleRoutesOptions {
  /** The module kinds, as the composition root registered them. */
  readonly modules: ModuleRegistry;
  readonly settings?: ProvisioningSettings;
}

/**
 * The admin API of processing modules under `/api/admin`: the wizard's description, adding a
 * module (checked first), listing, showing, editing, checking and reading the balance. Every route
 * needs an admin token.
 *
 * @example const app = await buildApp(ctx, [createModuleRoutes({ modules: registry, settings: { demoBaseUrl } })]);
 */
export function createModuleRoutes(options: ModuleRoutesOptions): RoutePlugin {
  return async (app: App, appCtx: AppContext) => {
    const ctx: ProvisioningContext = {
      ...appCtx,
      modules: options.modules,
      ...(options.settings ? { provisioningSettings: options.settings } : {}),
    };
    await app.register(async (scope) => {
      const api = scope.withTypeProvider<TypeBoxTypeProvider>() as App;
      api.addHook('onRequest', authenticate(appCtx));
      api.addHook('preHandler', async (req) => requireAdmin(req));

      api.get(
        '/api/admin/module-wizard',
        {
          schema: {
            tags: ['modules'],
            summary:
              'Describe the processing module wizard: steps, fields with their labels, IP address choices, module kinds',
            response: { 200: Wizard },
          },
        },
        async () => describeModuleWizard(ctx),
      );

      api.get(
        '/api/admin/modules',
        {
          schema: {
            tags: ['modules'],
            summary: 'List processing modules, lowest Sort first',
            response: { 200: Type.Object({ modules: List(ModuleView) }) },
          },
        },
        async () => ({ modules: await listProcessingModules(ctx) }),
      );

      api.post(
        '/api/admin/modules',
        {
          schema: {
            tags: ['modules'],
            summary:
              'Add a processing module: every field is validated, the connection is checked, and the module is saved only if the check passes',
            body: AddBody,
            response: { 201: ModuleView, 400: ErrorBody, 409: ErrorBody, 500: ErrorBody, 502: ErrorBody },
          },
        },
        async (req, reply) => reply.status(201).send((await addProcessingModule(ctx, req.body)).module),
      );

      api.get(
        '/api/admin/modules/:moduleId',
        {
          schema: {
            tags: ['modules'],
            summary: 'Show a processing module with its last balance and when it was read',
            params: Params,
            response: { 200: ModuleView, 404: ErrorBody },
          },
        },
        async (req) => getProcessingModule(ctx, req.params.moduleId),
      );

      api.patch(
        '/api/admin/modules/:moduleId',
        {
          schema: {
            tags: ['modules'],
            summary:
              'Edit a processing module or enable/disable it; new credentials, Demo, URL or IP address are checked before they are saved',
            params: Params,
            body: PatchBody,
            response: { 200: ModuleView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody },
          },
        },
        async (req) => (await updateProcessingModule(ctx, req.params.moduleId, req.body)).module,
      );

      api.post(
        '/api/admin/modules/:moduleId/check',
        {
          schema: {
            tags: ['modules'],
            summary: 'Check the connection of a processing module now',
            params: Params,
            response: {
              200: Type.Object({ ok: Type.Boolean(), balance: Nullable(ModuleBalance), module: ModuleView }),
              404: ErrorBody,
              502: ErrorBody,
            },
          },
        },
        async (req) => {
          const r = await checkProcessingModule(ctx, req.params.moduleId);
          return { ok: true, balance: r.check.balance ?? null, module: r.module };
        },
      );

      api.post(
        '/api/admin/modules/:moduleId/balance',
        {
          schema: {
            tags: ['modules'],
            summary:
              "Read the CA account's balance now, store it, and say whether it just fell below the minimal balance",
            params: Params,
            response: {
              200: Type.Object({
                balance: Money,
                readAt: Type.String({ format: 'date-time' }),
                minBalance: Nullable(Money),
                belowMinimum: Type.Boolean(),
                crossedBelowMinimum: Type.Boolean(),
                recoveredAboveMinimum: Type.Boolean(),
              }),
              404: ErrorBody,
              502: ErrorBody,
              503: ErrorBody,
            },
          },
        },
        async (req) => refreshModuleBalance(ctx, req.params.moduleId),
      );
    });
  };
}
