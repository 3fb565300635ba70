import { Type, type ArrayOptions, type Static, type TSchema } from '@sinclair/typebox';

/** An array schema whose static type is readonly, as the use cases return them. */
export const List = <T extends TSchema>(items: T, options?: ArrayOptions) =>
  Type.Unsafe<ReadonlyArray<Static<T>>>(Type.Array(items, options));

/** A schema that also accepts null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Id = Type.Integer({ minimum: 1 });
export const Instant = Type.String({ format: 'date-time' });

export const Money = Type.Object(
  { amountMinor: Type.Integer(), currency: Type.String({ minLength: 3, maxLength: 3 }) },
  { description: 'An amount in integer minor units (cents) of an ISO 4217 currency.' },
);

/** A decimal amount as people write it, in the account's or tariff's currency. */
export const Amount = Type.String({ pattern: '^-?\\d{1,15}(\\.\\d+)?$', examples: ['100.00'] });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 200,
    description: 'Repeat a call with the same key to get the first result; never charged twice.',
  }),
});

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Object({}, { additionalProperties: true })),
  }),
});

export const ClientUser = Type.Object({
  id: Id,
  clientId: Id,
  email: Type.String(),
  name: Type.String(),
  createdAt: Instant,
});

export const Client = Type.Object({
  id: Id,
  name: Type.String(),
  accountId: Id,
  balance: Money,
  users: List(ClientUser),
  createdAt: Instant,
});

export const LedgerEntry = Type.Object({
  id: Id,
  accountId: Id,
  kind: Type.Union([
    Type.Literal('credit'),
    Type.Literal('charge'),
    Type.Literal('refund'),
    Type.Literal('adjustment'),
  ]),
  amount: Money,
  balanceAfter: Money,
  reference: Type.String(),
  serviceId: Nullable(Id),
  note: Nullable(Type.String()),
  createdAt: Instant,
});

export const AccountStatement = Type.Object({
  clientId: Id,
  accountId: Id,
  balance: Money,
  entries: List(LedgerEntry),
});

export const BalanceMovement = Type.Object({ entry: LedgerEntry, balance: Money, replayed: Type.Boolean() });

export const Department = Type.Object({
  id: Id,
  name: Type.String(),
  email: Nullable(Type.String()),
  createdAt: Instant,
});

export const StaffUser = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Type.Literal('admin'),
  departmentId: Nullable(Id),
  createdAt: Instant,
});

const PeriodPrice = Type.Object({ years: Type.Integer({ minimum: 1, maximum: 5 }), price: Money });

export const Tariff = Type.Object({
  id: Id,
  name: Type.String(),
  productType: Type.String(),
  product: Type.String(),
  family: Type.String(),
  title: Type.String(),
  validation: Type.String(),
  wildcard: Type.Boolean(),
  currency: Type.String(),
  active: Type.Boolean(),
  version: Type.Integer({ description: 'Bumped by every change to the tariff.' }),
  prices: List(PeriodPrice),
  addons: List(
    Type.Object({
      kind: Type.Union([Type.Literal('uc-san'), Type.Literal('additional-domain')]),
      label: Type.String(),
      includedCount: Type.Integer({ minimum: 0 }),
      prices: List(PeriodPrice),
    }),
  ),
  modules: List(Type.Object({ moduleId: Id, sort: Type.Integer() })),
  createdAt: Instant,
  updatedAt: Instant,
});

const PeriodPriceInput = Type.Object(
  { years: Type.Integer({ minimum: 1, maximum: 5 }), amount: Amount },
  { additionalProperties: false },
);

const AddonInput = Type.Object(
  {
    price: Type.Union([Amount, List(PeriodPriceInput, { minItems: 1 })], {
      description: 'One price per name for every period, or one per period.',
    }),
    includedCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const AddTariffBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    product: Type.String({
      description: 'DV_LOW (AlphaSSL), DV (DomainSSL), OV (OrganizationSSL), EV (ExtendedSSL)',
    }),
    wildcard: Type.Optional(Type.Boolean()),
    currency: Type.String({ minLength: 3, maxLength: 3 }),
    prices: List(PeriodPriceInput, { minItems: 1, maxItems: 5 }),
    ucSanAddon: Type.Optional(Nullable(AddonInput)),
    domainAddon: Type.Optional(Nullable(AddonInput)),
    moduleIds: Type.Optional(List(Id)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const UpdateTariffBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    prices: Type.Optional(
      List(PeriodPriceInput, {
        minItems: 1,
        maxItems: 5,
        description: 'Every period sold from now on; a period left out is no longer sold.',
      }),
    ),
    moduleIds: Type.Optional(List(Id, { description: 'Processing modules, first tried first.' })),
  },
  { additionalProperties: false },
);

export const TariffAddonBody = AddonInput;

const ClassifiedName = Type.Object({
  name: Type.String(),
  addon: Type.Union([Type.Literal('uc-san'), Type.Literal('additional-domain')]),
  sanOptionType: Type.Integer(),
});

const PriceLine = Type.Object({
  kind: Type.String(),
  quantity: Type.Integer(),
  unit: Money,
  amount: Money,
  description: Type.String(),
});

const FoldedName = Type.Object({ input: Type.String(), name: Type.String(), reason: Type.String() });

export const OrderNames = {
  tariffId: Id,
  years: Type.Integer({ minimum: 1, maximum: 5 }),
  cn: Type.String({ minLength: 1, maxLength: 300 }),
  sans: Type.Optional(List(Type.String({ maxLength: 300 }), { maxItems: 1000 })),
};

export const Quote = Type.Object({
  tariffId: Id,
  years: Type.Integer(),
  cn: Type.String(),
  names: List(ClassifiedName),
  folded: List(FoldedName),
  ucSanCount: Type.Integer(),
  additionalDomainCount: Type.Integer(),
  lines: List(PriceLine),
  total: Money,
});

export const PlaceOrderBody = Type.Object(
  {
    ...OrderNames,
    clientId: Type.Optional(Id),
    csr: Type.Optional(Nullable(Type.String({ maxLength: 20_000 }))),
    generateKey: Type.Optional(Type.Boolean()),
    saveKey: Type.Optional(
      Type.Boolean({
        description:
          'false = "Do not save the key": the generated private key is returned once as privateKeyPem and never stored',
      }),
    ),
    organization: Type.Optional(
      Nullable(
        Type.Object(
          {},
          {
            additionalProperties: true,
            description:
              'OV/EV: name, unit, address {line1, line2, line3, city, region, postalCode, country, phone}',
          },
        ),
      ),
    ),
    extendedValidation: Type.Optional(
      Nullable(
        Type.Object(
          {},
          {
            additionalProperties: true,
            description: 'EV: businessCategory, requestor, approver, signer, jurisdiction',
          },
        ),
      ),
    ),
    dcv: Type.Optional(
      Nullable(
        Type.String({ description: 'email, email:<approver address>, http or dns; ignored for OV/EV' }),
      ),
    ),
  },
  { additionalProperties: false },
);

export const PlacedOrder = Type.Object({
  serviceId: Id,
  charged: Money,
  commonName: Type.String(),
  names: List(ClassifiedName),
  folded: List(FoldedName),
  lines: List(PriceLine),
  replayed: Type.Boolean(),
  privateKeyPem: Type.Optional(
    Type.String({ description: 'With saveKey false, on the first answer only: certbill keeps no copy' }),
  ),
});

const DcvChoice = Type.Object({ method: Type.String(), email: Nullable(Type.String()) });

export const ServiceView = Type.Object({
  id: Id,
  clientId: Id,
  tariffId: Id,
  product: Type.String(),
  wildcard: Type.Boolean(),
  kind: Type.Union([Type.Literal('new'), Type.Literal('renewal')]),
  previousServiceId: Nullable(Id),
  status: Type.String({ description: 'ordered, in_progress, active, expired, cancelled or failed' }),
  years: Type.Integer(),
  commonName: Type.String(),
  names: List(ClassifiedName),
  price: Type.Object({ total: Money, lines: List(PriceLine) }),
  dcv: Nullable(DcvChoice),
  csrProvided: Type.Boolean(),
  generateKey: Type.Boolean(),
  keySaved: Type.Boolean({ description: 'false when certbill does not keep the private key' }),
  orderedAt: Instant,
  firstIssuedAt: Nullable(Instant),
  paidUntil: Nullable(Type.String({ format: 'date' })),
  paidUntilAt: Nullable(Instant),
  paidUntilShown: Nullable(Type.String({ format: 'date' })),
  expirationDate: Nullable(Type.String({ format: 'date' })),
  caOrderId: Nullable(Type.String()),
  nextReissueAt: Nullable(Instant),
  clientMustAct: Type.Boolean(),
  validation: Nullable(
    Type.Object(
      {
        caOrderId: Nullable(Type.String()),
        state: Type.String(),
        instructions: Nullable(Type.Object({ method: Type.String() }, { additionalProperties: true })),
        lastError: Nullable(Type.String()),
      },
      {
        description:
          'What the client must do for the pending certificate (approver address, HTTP file, DNS TXT record).',
      },
    ),
  ),
  cancelledAt: Nullable(Instant),
});

export const CancelledService = Type.Object({
  serviceId: Id,
  status: Type.Literal('cancelled'),
  refunded: Money,
  replayed: Type.Boolean(),
});

export const RenewedService = Type.Object({
  serviceId: Id,
  previousServiceId: Id,
  charged: Money,
  lines: List(PriceLine),
  replayed: Type.Boolean(),
  privateKeyPem: Type.Optional(
    Type.String({ description: 'With saveKey false, on the first answer only: certbill keeps no copy' }),
  ),
});

const Setting = <T extends TSchema>(value: T) =>
  Type.Object({ value, source: Type.String(), panelValue: value });

export const SslProductSettings = Type.Object({
  code: Type.String(),
  name: Type.String(),
  subscription: Type.Object({
    policy: Setting(Type.Union([Type.Literal('auto'), Type.Literal('manual'), Type.Literal('none')])),
    before: Setting(Type.Integer()),
    overridden: Type.Boolean(),
  }),
});

export const ApiScopeSchema = Type.Union([
  Type.Object({ kind: Type.Literal('admin') }),
  Type.Object({ kind: Type.Literal('client'), clientId: Id }),
]);

export const ApiToken = Type.Object({
  id: Id,
  scope: ApiScopeSchema,
  label: Nullable(Type.String()),
  createdAt: Instant,
  revokedAt: Nullable(Instant),
});
