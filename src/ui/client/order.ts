import type { FastifyReply } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { getAccountOfClient } from '../../billing/account-repository.ts';
import { parseDcvChoice, placeCertificateOrder } from '../../billing/place-certificate-order.ts';
import { quoteTariffOrder, type TariffQuote } from '../../billing/quote-tariff-order.ts';
import { BUSINESS_CATEGORIES, readOrganizationDetails } from '../../billing/read-organization-details.ts';
import { getTariff, listTariffs, type Tariff } from '../../billing/tariff-repository.ts';
import { AppError, httpStatusOf, isAppError } from '../../core/errors/index.ts';
import { formatMoney, subtractMoney, type Money } from '../../core/money.ts';
import { checkCsr, type CheckedCsr } from '../../provisioning/keys/check-csr.ts';
import { listOrderApprovers } from '../../provisioning/lifecycle/list-order-approvers.ts';
import type { Approver } from '../../provisioning/processing-module.ts';
import { clientOf, type ClientPrincipal } from '../access/principal.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import {
  BUSINESS_CATEGORY_FIELD,
  emptyOrderForm,
  errorFieldOf,
  EV_FIELDS,
  orderInputOf,
  ORGANIZATION_FIELDS,
  priceSplitOf,
  readOrderForm,
  splitNames,
  type OrderForm,
  type PriceSplit,
} from './order-form.ts';

const DCV_LABELS = [
  { value: 'email', label: 'E-mail to an approver address' },
  { value: 'http', label: 'HTTP file on the web server' },
  { value: 'dns', label: 'DNS TXT record' },
] as const;

interface FormProblem {
  readonly field: string | null;
  readonly message: string;
}

/**
 * Order an SSL certificate (`/client/order`): the form (tariff, period, names with a live price,
 * key, validation, organization data), a confirmation step that shows the same price split without
 * JavaScript, and the order itself paid from the balance through `placeCertificateOrder`, the use
 * case of `POST /api/orders` and `certbill order`. The JSON helpers of the form's script:
 * `GET /client/order/quote`, `GET /client/order/approvers`, `POST /client/order/csr`.
 */
export const clientOrderPages: PanelPage = (scope, ctx) => {
  scope.get('/order', async (req, reply) => {
    const me = clientOf(req);
    const q = req.query as Record<string, string | undefined>;
    return renderForm(reply, ctx, me, emptyOrderForm({ tariffId: q['tariff'] ?? '' }), null);
  });

  scope.post('/order/edit', async (req, reply) =>
    renderForm(reply, ctx, clientOf(req), readOrderForm(req.body), null),
  );

  scope.get('/order/quote', async (req, reply) => {
    const me = clientOf(req);
    const q = req.query as Record<string, string | undefined>;
    try {
      const tariff = await sellableTariff(ctx, me, q['tariffId'] ?? '');
      const quote = quoteTariffOrder(tariff, {
        years: Number(q['years'] ?? ''),
        cn: q['cn'] ?? '',
        sans: splitNames(q['sans'] ?? ''),
      });
      return reply.header('cache-control', 'no-store').send(quoteJson(priceSplitOf(quote)));
    } catch (err) {
      return jsonError(reply, err, { cn: q['cn'] ?? '' });
    }
  });

  scope.get('/order/approvers', async (req, reply) => {
    const me = clientOf(req);
    const q = req.query as Record<string, string | undefined>;
    try {
      const tariff = await sellableTariff(ctx, me, q['tariffId'] ?? '');
      const list = await listOrderApprovers(ctx, {
        tariffId: tariff.id,
        commonName: q['cn'] ?? '',
        sans: splitNames(q['sans'] ?? ''),
      });
      return reply.header('cache-control', 'no-store').send({
        commonName: list.commonName,
        approvers: list.approvers.map((a) => ({ email: a.email, type: a.type })),
      });
    } catch (err) {
      return jsonError(reply, err, { cn: q['cn'] ?? '' });
    }
  });

  scope.post('/order/csr', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const csr = typeof body['csr'] === 'string' ? body['csr'] : '';
    const cn = typeof body['cn'] === 'string' ? body['cn'] : '';
    try {
      const checked = await decodeCsr(csr, cn);
      return reply.header('cache-control', 'no-store').send(csrJson(checked, cn));
    } catch (err) {
      return jsonError(reply, err, { cn });
    }
  });

  scope.post('/order/confirm', async (req, reply) => {
    const me = clientOf(req);
    const form = readOrderForm(req.body);
    let tariff: Tariff;
    let quote: TariffQuote;
    let csr: CheckedCsr | null = null;
    try {
      tariff = await sellableTariff(ctx, me, form.tariffId);
      const input = orderInputOf(form, tariff, me.clientId);
      quote = quoteTariffOrder(tariff, input);
      if (form.keyMode === 'existing') {
        if (form.csr === '') {
          throw new AppError('BILLING_INVALID_ORDER', 'Paste the CSR, or choose "Generate a request".', {
            field: 'csr',
          });
        }
        csr = await checkCsr({ csrPem: form.csr, commonName: form.cn });
      }
      readOrganizationDetails(tariff.validation, input);
      if (tariff.validation === 'DV') parseDcvChoice(input.dcv ?? 'email');
    } catch (err) {
      if (!isAppError(err)) throw err;
      return renderForm(reply, ctx, me, form, problemOf(err, form));
    }
    let approvers: readonly Approver[] = [];
    let approverProblem: string | null = null;
    if (tariff.validation === 'DV' && form.dcvMethod === 'email') {
      try {
        approvers = (
          await listOrderApprovers(ctx, {
            tariffId: tariff.id,
            commonName: quote.cn,
            sans: quote.names.map((n) => n.name),
          })
        ).approvers;
      } catch (err) {
        if (!isAppError(err)) throw err;
        approverProblem = `The CA's approver addresses cannot be read now (${err.message}); the order goes to the CA's first address unless you choose again later.`;
      }
    }
    const account = await getAccountOfClient(ctx.db.kysely, me.clientId);
    const after = subtractMoney(account.balance, quote.total);
    return render(
      reply,
      'client/order-confirm',
      {
        form,
        tariff: tariffView(tariff),
        split: priceSplitOf(quote),
        csr: csr ? csrJson(csr, form.cn) : null,
        dcv: tariff.validation === 'DV' ? dcvView(form.dcvMethod) : null,
        approvers: approvers.map((a) => ({ email: a.email, selected: a.email === form.approverEmail })),
        approverProblem,
        balance: account.balance,
        balanceAfter: after,
        missing: after.amountMinor < 0 ? { amountMinor: -after.amountMinor, currency: after.currency } : null,
        hidden: hiddenFieldsOf(form),
        organization: tariff.validation === 'DV' ? [] : organizationSummary(form, tariff),
        contact: await contactOf(ctx, me),
      },
      { title: 'Confirm the order' },
    );
  });

  scope.post('/order', async (req, reply) => {
    const me = clientOf(req);
    const form = readOrderForm(req.body);
    try {
      const tariff = await sellableTariff(ctx, me, form.tariffId);
      const placed = await placeCertificateOrder(ctx, orderInputOf(form, tariff, me.clientId));
      const charged = `${formatMoney(placed.charged)} ${placed.charged.currency}`;
      if (placed.privateKeyPem) {
        return render(
          reply,
          'client/order-key',
          {
            serviceId: placed.serviceId,
            commonName: placed.commonName,
            charged,
            privateKeyPem: placed.privateKeyPem,
          },
          { title: 'Your private key' },
        );
      }
      await setFlash(
        reply,
        placed.replayed ? 'info' : 'success',
        placed.replayed
          ? `This order was already placed (service #${placed.serviceId}); nothing more was charged.`
          : `Order placed: ${charged} paid from the balance. The certificate for ${placed.commonName} is being ordered from the CA.`,
      );
      return reply.redirect(`/client/services/${placed.serviceId}`, 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return renderForm(reply, ctx, me, form, problemOf(err, form), httpStatusOf(err.kind));
    }
  });
};

function problemOf(err: AppError, form: OrderForm): FormProblem {
  return { field: errorFieldOf(err, form), message: err.message };
}

async function sellableTariff(ctx: AppContext, me: ClientPrincipal, idText: string): Promise<Tariff> {
  const id = Number(idText);
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new AppError('BILLING_INVALID_ORDER', 'Choose a tariff plan.', { field: 'tariffId' });
  }
  const tariff = await getTariff(ctx.db.kysely, id);
  const account = await getAccountOfClient(ctx.db.kysely, me.clientId);
  if (!tariff.active || tariff.currency !== account.balance.currency) {
    throw new AppError('BILLING_TARIFF_NOT_FOUND', 'This tariff plan is not sold to you; choose another.', {
      field: 'tariffId',
    });
  }
  return tariff;
}

async function decodeCsr(csr: string, cn: string): Promise<CheckedCsr> {
  try {
    return await checkCsr({ csrPem: csr, commonName: cn });
  } catch (err) {
    // Without a common name typed yet, the preview shows the CSR's own (the form then offers it).
    const theirs = isAppError(err) ? err.details['csrCommonName'] : undefined;
    if (
      cn.trim() === '' &&
      err instanceof AppError &&
      err.code === 'PROVISIONING_CSR_CN_MISMATCH' &&
      typeof theirs === 'string'
    ) {
      return checkCsr({ csrPem: csr, commonName: theirs });
    }
    throw err;
  }
}

function csrJson(checked: CheckedCsr, cn: string) {
  const key = checked.key.algorithm === 'rsa' ? `RSA ${checked.key.bits} bits` : `ECDSA ${checked.key.curve}`;
  return {
    commonName: checked.commonName,
    names: checked.requestedNames,
    key,
    cnTyped: cn.trim() !== '',
  };
}

function quoteJson(split: PriceSplit) {
  const m = (x: Money) => `${formatMoney(x)} ${x.currency}`;
  return {
    commonName: split.commonName,
    rows: split.rows.map((r) => ({ ...r, unit: m(r.unit), amount: m(r.amount) })),
    total: m(split.total),
    names: split.names,
    folded: split.folded,
  };
}

function jsonError(reply: FastifyReply, err: unknown, form: Pick<OrderForm, 'cn'>) {
  if (!isAppError(err)) throw err;
  return reply
    .status(err.kind === 'not_found' ? 404 : 400)
    .header('cache-control', 'no-store')
    .send({ error: { code: err.code, message: err.message, field: errorFieldOf(err, form) } });
}

function tariffView(t: Tariff) {
  return {
    id: t.id,
    name: t.name,
    title: t.title,
    validation: t.validation,
    years: t.prices.map((p) => p.years),
    yearsText: t.prices.map((p) => p.years).join(','),
    prices: t.prices.map((p) => ({ years: p.years, price: p.price })),
  };
}

function dcvView(method: string) {
  return DCV_LABELS.find((d) => d.value === method) ?? DCV_LABELS[0];
}

function hiddenFieldsOf(form: OrderForm): { name: string; value: string }[] {
  const fields: [string, string][] = [
    ['tariffId', form.tariffId],
    ['years', form.years],
    ['cn', form.cn],
    ['sans', form.sans],
    ['keyMode', form.keyMode],
    ['doNotSaveKey', form.doNotSaveKey],
    ['csr', form.csr],
    ['dcvMethod', form.dcvMethod],
    ['idempotencyKey', form.idempotencyKey],
    ...Object.entries(form.org),
  ];
  return fields.filter(([, v]) => v !== '').map(([name, value]) => ({ name, value }));
}

function organizationSummary(form: OrderForm, tariff: Tariff) {
  const specs = [
    ...ORGANIZATION_FIELDS,
    ...(tariff.validation === 'EV'
      ? [{ name: BUSINESS_CATEGORY_FIELD, label: 'Business category' }, ...EV_FIELDS]
      : []),
  ];
  return specs
    .filter((f) => (form.org[f.name] ?? '') !== '')
    .map((f) => ({ label: f.label, value: form.org[f.name] ?? '' }));
}

async function contactOf(ctx: AppContext, me: ClientPrincipal) {
  // The CA's contact is the client's first user (what provisioning sends with every order).
  const first = await ctx.db.kysely
    .selectFrom('client_users')
    .select(['name', 'email'])
    .where('client_id', '=', me.clientId)
    .orderBy('id')
    .executeTakeFirst();
  return { name: first?.name ?? me.name, email: first?.email ?? me.email };
}

async function renderForm(
  reply: FastifyReply,
  ctx: AppContext,
  me: ClientPrincipal,
  form: OrderForm,
  problem: FormProblem | null,
  status = problem ? 400 : 200,
) {
  const account = await getAccountOfClient(ctx.db.kysely, me.clientId);
  const tariffs = (await listTariffs(ctx.db.kysely, { activeOnly: true }))
    .filter((t) => t.currency === account.balance.currency)
    .map(tariffView);
  const selected = tariffs.find((t) => String(t.id) === form.tariffId) ?? tariffs[0] ?? null;
  let split: PriceSplit | null = null;
  if (selected && form.cn !== '' && form.years !== '') {
    try {
      const tariff = await getTariff(ctx.db.kysely, selected.id);
      split = priceSplitOf(
        quoteTariffOrder(tariff, { years: Number(form.years), cn: form.cn, sans: splitNames(form.sans) }),
      );
    } catch {
      split = null;
    }
  }
  // Every field the view reads is present (strict variables): null, or the message beside it.
  const errors: Record<string, string | null> = Object.fromEntries(
    ['tariffId', 'years', 'cn', 'sans', 'keyMode', 'csr', 'doNotSaveKey', 'dcvMethod', 'approverEmail'].map(
      (f) => [f, null],
    ),
  );
  if (problem?.field) errors[inputOf(problem.field)] = problem.message;
  const field = (f: { name: string; label: string; optional?: boolean }, i: number, prefix: string) => ({
    id: `${prefix}-${i}`,
    name: f.name,
    label: f.label,
    optional: Boolean(f.optional),
    value: form.org[f.name] ?? '',
    error: errors[f.name] ?? null,
  });
  const yearsOffered = selected?.years ?? [1, 2, 3, 4, 5];
  return render(
    reply,
    'client/order',
    {
      form,
      tariffs: tariffs.map((t) => ({ ...t, selected: selected?.id === t.id })),
      validation: selected?.validation ?? 'DV',
      years: yearsOffered.map((y) => ({
        value: String(y),
        label: `${y} year${y === 1 ? '' : 's'}`,
        selected: form.years === String(y) || (form.years === '' && y === yearsOffered[0]),
      })),
      dcvMethods: DCV_LABELS.map((d) => ({ ...d, checked: form.dcvMethod === d.value })),
      orgFields: ORGANIZATION_FIELDS.map((f, i) => field(f, i, 'org')),
      evFields: EV_FIELDS.map((f, i) => field(f, i, 'ev')),
      businessCategories: BUSINESS_CATEGORIES.map((c) => ({
        value: c,
        label: c.replace(/-/g, ' '),
        selected: form.org[BUSINESS_CATEGORY_FIELD] === c,
      })),
      businessCategoryError: errors[BUSINESS_CATEGORY_FIELD] ?? null,
      errors,
      problem: problem?.message ?? null,
      split,
      balance: account.balance,
      contact: await contactOf(ctx, me),
    },
    { title: 'Order a certificate', status },
  );
}

/** The input an error names: `organization.address` (a missing group) is its first field. */
function inputOf(field: string): string {
  const inputs = [...ORGANIZATION_FIELDS, ...EV_FIELDS].map((f) => f.name);
  if (inputs.includes(field) || field === BUSINESS_CATEGORY_FIELD) return field;
  return inputs.find((name) => name.startsWith(`${field}.`)) ?? field;
}
