import type { FastifyReply } from 'fastify';
import { addTariff } from '../../billing/add-tariff.ts';
import { CERTIFICATE_PRODUCTS } from '../../billing/certificate-products.ts';
import { removeTariffAddon } from '../../billing/remove-tariff-addon.ts';
import { readAddonKind, setTariffAddon } from '../../billing/set-tariff-addon.ts';
import { ADDON_LABELS, getTariff, listTariffs, type Tariff } from '../../billing/tariff-repository.ts';
import { updateTariff } from '../../billing/update-tariff.ts';
import { AppError, isAppError } from '../../core/errors/index.ts';
import { assertCurrency, formatMoney, parseMoney } from '../../core/money.ts';
import type { NameAddon } from '../../domain/index.ts';
import { listProcessingModules } from '../../provisioning/module-repository.ts';
import type { AppContext } from '../../app-context.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { fieldOfError, formValues, positiveId, type FormValues } from './form-values.ts';

const YEARS = [1, 2, 3, 4, 5] as const;
const ADDON_KINDS = Object.keys(ADDON_LABELS) as NameAddon[];

type Errors = Record<string, string>;

/**
 * Products → Tariff plans: the list, a tariff plan's form (name, product, prices per period 1–5
 * years, processing modules in order) and its Config (the addons "Additional UC SANs domains" and
 * "Additional domains" with a price per period). Uses the catalogue's use cases, like the API.
 */
export const tariffPages: PanelPage = (scope, ctx) => {
  scope.get('/tariffs', async (_req, reply) => {
    const tariffs = await listTariffs(ctx.db.kysely);
    return render(reply, 'admin/tariffs', { tariffs: tariffs.map(tariffLine) }, { title: 'Tariff plans' });
  });

  scope.get('/tariffs/new', async (_req, reply) => renderTariffForm(ctx, reply, null, emptyForm(), {}));

  scope.post('/tariffs', async (req, reply) => {
    const values = formValues(req);
    const form = await readTariffForm(ctx, values, null);
    if (Object.keys(form.errors).length) return renderTariffForm(ctx, reply, null, values, form.errors);
    try {
      const tariff = await addTariff(ctx, {
        name: values['name'] ?? '',
        product: values['product'] ?? '',
        wildcard: values['wildcard'] === 'on',
        currency: form.currency,
        prices: form.prices,
        moduleIds: form.moduleIds,
        active: values['active'] === 'on',
      });
      await setFlash(
        reply,
        'success',
        `Tariff plan "${tariff.name}" created. Press Config to add its addons.`,
      );
      return reply.redirect(`/admin/tariffs/${tariff.id}`, 303);
    } catch (err) {
      return renderTariffForm(ctx, reply, null, values, tariffError(err));
    }
  });

  scope.get('/tariffs/:id', async (req, reply) => {
    const tariff = await tariffOf(ctx, (req.params as { id: string }).id);
    return renderTariffForm(ctx, reply, tariff, valuesOf(tariff), {});
  });

  scope.post('/tariffs/:id', async (req, reply) => {
    const tariff = await tariffOf(ctx, (req.params as { id: string }).id);
    const values = formValues(req);
    const form = await readTariffForm(ctx, values, tariff);
    if (Object.keys(form.errors).length) return renderTariffForm(ctx, reply, tariff, values, form.errors);
    try {
      await updateTariff(ctx, {
        tariffId: tariff.id,
        name: values['name'] ?? '',
        active: values['active'] === 'on',
        prices: form.prices,
        moduleIds: form.moduleIds,
      });
      await setFlash(reply, 'success', `Tariff plan "${values['name']?.trim()}" saved.`);
      return reply.redirect(`/admin/tariffs/${tariff.id}`, 303);
    } catch (err) {
      return renderTariffForm(ctx, reply, tariff, values, tariffError(err));
    }
  });

  scope.get('/tariffs/:id/config', async (req, reply) => {
    const tariff = await tariffOf(ctx, (req.params as { id: string }).id);
    return render(
      reply,
      'admin/tariff-config',
      {
        tariff: tariffLine(tariff),
        years: tariff.prices.map((p) => p.years),
        addons: tariff.addons.map((a) => ({
          kind: a.kind,
          label: a.label,
          includedCount: a.includedCount,
          prices: tariff.prices.map((p) => a.prices.find((ap) => ap.years === p.years)?.price ?? null),
        })),
      },
      { title: `Config — ${tariff.name}` },
    );
  });

  scope.get('/tariffs/:id/config/add', async (req, reply) => {
    const tariff = await tariffOf(ctx, (req.params as { id: string }).id);
    const kindParam = (req.query as Record<string, unknown>)['kind'];
    const existing =
      typeof kindParam === 'string' ? (tariff.addons.find((a) => a.kind === kindParam) ?? null) : null;
    const values: Record<string, string> = { kind: existing?.kind ?? '' };
    values['included_count'] = String(existing?.includedCount ?? 0);
    for (const p of existing?.prices ?? []) values[`addon_price_${p.years}`] = formatMoney(p.price);
    return renderAddonForm(reply, tariff, values, {}, existing !== null);
  });

  scope.post('/tariffs/:id/config', async (req, reply) => {
    const tariff = await tariffOf(ctx, (req.params as { id: string }).id);
    const values = formValues(req);
    const errors: Errors = {};
    let kind: NameAddon | null = null;
    try {
      kind = readAddonKind(values['kind'] ?? '');
    } catch {
      errors['kind'] = 'Select the Type: "Additional UC SANs domains" or "Additional domains".';
    }
    const prices = tariff.prices.map((p) => ({
      years: p.years,
      amount: (values[`addon_price_${p.years}`] ?? '').trim(),
    }));
    for (const p of prices) {
      const problem = moneyProblem(p.amount, tariff.currency, true);
      if (problem) errors[`addon_price_${p.years}`] = problem;
    }
    const included = (values['included_count'] ?? '0').trim() || '0';
    if (!/^\d{1,3}$/.test(included) || Number(included) > 100) {
      errors['included_count'] = 'Enter a whole number of names from 0 to 100.';
    }
    if (Object.keys(errors).length || !kind)
      return renderAddonForm(reply, tariff, values, errors, false, 400);
    try {
      const had = tariff.addons.some((a) => a.kind === kind);
      await setTariffAddon(ctx, {
        tariffId: tariff.id,
        kind,
        price: prices,
        includedCount: Number(included),
      });
      await setFlash(reply, 'success', `${ADDON_LABELS[kind]} ${had ? 'saved' : 'added'}.`);
      return reply.redirect(`/admin/tariffs/${tariff.id}/config`, 303);
    } catch (err) {
      if (!isAppError(err)) throw err;
      return renderAddonForm(
        reply,
        tariff,
        values,
        { [fieldOfError(err, { kind: 'kind' }, 'form')]: err.message },
        false,
        400,
      );
    }
  });

  scope.post('/tariffs/:id/config/:kind/remove', async (req, reply) => {
    const params = req.params as { id: string; kind: string };
    const tariff = await tariffOf(ctx, params.id);
    const kind = readAddonKind(params.kind);
    await removeTariffAddon(ctx, { tariffId: tariff.id, kind });
    await setFlash(reply, 'success', `${ADDON_LABELS[kind]} removed.`);
    return reply.redirect(`/admin/tariffs/${tariff.id}/config`, 303);
  });
};

async function tariffOf(ctx: AppContext, idText: string): Promise<Tariff> {
  const id = positiveId(idText);
  if (id === null) throw new AppError('BILLING_TARIFF_NOT_FOUND', `Tariff ${idText} does not exist.`);
  return getTariff(ctx.db.kysely, id);
}

function tariffLine(t: Tariff) {
  return {
    id: t.id,
    name: t.name,
    title: t.title,
    product: t.product,
    validation: t.validation,
    currency: t.currency,
    active: t.active,
    prices: YEARS.map((years) => t.prices.find((p) => p.years === years)?.price ?? null),
    addons: t.addons.map((a) => a.label),
  };
}

function emptyForm(): FormValues {
  return { currency: 'USD', product: 'DV', active: 'on' };
}

function valuesOf(t: Tariff): FormValues {
  const values: Record<string, string> = {
    name: t.name,
    product: t.product,
    wildcard: t.wildcard ? 'on' : '',
    currency: t.currency,
    active: t.active ? 'on' : '',
  };
  for (const p of t.prices) values[`price_${p.years}`] = formatMoney(p.price);
  for (const m of t.modules) {
    values[`module_${m.moduleId}`] = 'on';
    values[`module_order_${m.moduleId}`] = String(m.sort + 1);
  }
  return values;
}

/** A decimal amount as typed, checked with the money rules; null when fine. */
function moneyProblem(text: string, currency: string, zeroAllowed: boolean): string | null {
  if (text === '') return 'Enter a price, e.g. 79.00.';
  try {
    const m = parseMoney(text, currency);
    if (m.amountMinor < 0 || (!zeroAllowed && m.amountMinor === 0)) {
      return zeroAllowed ? 'The price cannot be negative.' : 'The price must be more than zero.';
    }
    return null;
  } catch (err) {
    if (isAppError(err)) return err.message;
    throw err;
  }
}

async function readTariffForm(ctx: AppContext, values: FormValues, tariff: Tariff | null) {
  const errors: Errors = {};
  let currency = tariff?.currency ?? 'USD';
  if (!tariff) {
    try {
      currency = assertCurrency(values['currency'] ?? '');
    } catch (err) {
      if (!isAppError(err)) throw err;
      errors['currency'] = err.message;
    }
  }
  const prices: { years: number; amount: string }[] = [];
  for (const years of YEARS) {
    const amount = (values[`price_${years}`] ?? '').trim();
    if (amount === '') continue;
    const problem = errors['currency'] ? null : moneyProblem(amount, currency, false);
    if (problem) errors[`price_${years}`] = problem;
    prices.push({ years, amount });
  }
  if (prices.length === 0) errors['prices'] = 'Give the price of at least one period, e.g. 1 year for 79.00.';
  const modules = await listProcessingModules(ctx);
  const chosen: { id: number; order: number; sort: number }[] = [];
  for (const m of modules) {
    if (values[`module_${m.id}`] !== 'on') continue;
    const orderText = (values[`module_order_${m.id}`] ?? '').trim();
    if (orderText !== '' && !/^\d{1,3}$/.test(orderText)) {
      errors[`module_order_${m.id}`] = 'Enter the order as a whole number (1 is tried first).';
    }
    chosen.push({
      id: m.id,
      order: orderText === '' ? Number.MAX_SAFE_INTEGER : Number(orderText),
      sort: m.sort,
    });
  }
  chosen.sort((a, b) => a.order - b.order || a.sort - b.sort || a.id - b.id);
  return { errors, currency, prices, moduleIds: chosen.map((c) => c.id) };
}

function tariffError(err: unknown): Errors {
  if (!isAppError(err)) throw err;
  const field = fieldOfError(
    err,
    {
      'tariff name': 'name',
      prices: 'prices',
      modules: 'modules',
      addons: 'form',
      BILLING_INVALID_PRODUCT: 'product',
      MONEY_INVALID_CURRENCY: 'currency',
      MONEY_INVALID_AMOUNT: 'prices',
      DOMAIN_INVALID_YEARS: 'prices',
    },
    'form',
  );
  return { [field]: err.message };
}

async function renderTariffForm(
  ctx: AppContext,
  reply: FastifyReply,
  tariff: Tariff | null,
  values: FormValues,
  errors: Errors,
) {
  const modules = await listProcessingModules(ctx);
  const currency = tariff?.currency ?? values['currency'] ?? 'USD';
  return render(
    reply,
    'admin/tariff-form',
    {
      tariff: tariff ? tariffLine(tariff) : null,
      action: tariff ? `/admin/tariffs/${tariff.id}` : '/admin/tariffs',
      values: {
        name: values['name'] ?? '',
        product: values['product'] ?? 'DV',
        wildcard: values['wildcard'] === 'on',
        currency,
        active: values['active'] === 'on',
      },
      products: CERTIFICATE_PRODUCTS.map((p) => ({
        code: p.code,
        text: `${p.family} (${p.validation})`,
        selected: (values['product'] ?? 'DV') === p.code,
      })),
      prices: YEARS.map((years) => ({
        years,
        label: `Price for ${years} year${years === 1 ? '' : 's'}`,
        value: values[`price_${years}`] ?? '',
        error: errors[`price_${years}`] ?? null,
      })),
      modules: modules.map((m) => ({
        id: m.id,
        name: m.name,
        enabled: m.enabled,
        checked: values[`module_${m.id}`] === 'on',
        order: values[`module_order_${m.id}`] ?? '',
        error: errors[`module_order_${m.id}`] ?? null,
      })),
      errors: {
        name: errors['name'] ?? null,
        product: errors['product'] ?? null,
        currency: errors['currency'] ?? null,
        prices: errors['prices'] ?? null,
        modules: errors['modules'] ?? null,
        form: errors['form'] ?? null,
      },
    },
    {
      status: Object.keys(errors).length ? 400 : 200,
      title: tariff ? `Tariff plan ${tariff.name}` : 'New tariff plan',
    },
  );
}

function renderAddonForm(
  reply: FastifyReply,
  tariff: Tariff,
  values: FormValues,
  errors: Errors,
  editing: boolean,
  status = 200,
) {
  return render(
    reply,
    'admin/tariff-addon-form',
    {
      tariff: tariffLine(tariff),
      editing,
      kinds: ADDON_KINDS.map((k) => ({
        kind: k,
        label: ADDON_LABELS[k],
        selected: values['kind'] === k,
        present: tariff.addons.some((a) => a.kind === k),
      })),
      includedCount: values['included_count'] ?? '0',
      prices: tariff.prices.map((p) => ({
        years: p.years,
        label: `Price per name for ${p.years} year${p.years === 1 ? '' : 's'}`,
        value: values[`addon_price_${p.years}`] ?? '',
        error: errors[`addon_price_${p.years}`] ?? null,
      })),
      errors: {
        kind: errors['kind'] ?? null,
        included: errors['included_count'] ?? null,
        form: errors['form'] ?? null,
      },
    },
    { status, title: `Add addon — ${tariff.name}` },
  );
}
