import { randomUUID } from 'node:crypto';
import {
  cancelService,
  REFUND_DAYS_AFTER_ISSUE,
  REFUND_DAYS_BEFORE_ISSUE,
} from '../../billing/cancel-service.ts';
import { CERTIFICATE_PRODUCTS } from '../../billing/certificate-products.ts';
import { getService, SERVICE_STATUSES, viewService } from '../../billing/service-repository.ts';
import { AppError, isAppError } from '../../core/errors/index.ts';
import { formatMoney } from '../../core/money.ts';
import { retryService } from '../../provisioning/lifecycle/retry-service.ts';
import { reissueNow } from '../../subscriptions/reissue-now.ts';
import type { AppContext } from '../../app-context.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { formValues, positiveId } from './form-values.ts';
import { optionsHtml, serviceRowsHtml } from './service-rows-html.ts';
import {
  listServicePage,
  readGenerations,
  readModuleOptions,
  readServiceNotifications,
  readServiceParties,
  readServiceTasks,
  type ServiceFilters,
} from './services-data.ts';

/**
 * Services: the filtered, keyset-paged list and a service's page with its dates, CA order, module,
 * names, certificate generations, tasks and notifications, and the actions Retry (a failed
 * service), Reissue now and Cancel (with the refund), each through the use case the API or the
 * CLI calls.
 */
export const servicePages: PanelPage = (scope, ctx) => {
  scope.get('/services', async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).trim() : '');
    const filters: ServiceFilters = {
      ...(SERVICE_STATUSES.includes(text('status') as never) ? { status: text('status') } : {}),
      ...(positiveId(text('client')) ? { clientId: positiveId(text('client'))! } : {}),
      ...(CERTIFICATE_PRODUCTS.some((p) => p.code === text('product')) ? { product: text('product') } : {}),
      ...(positiveId(text('module')) ? { moduleId: positiveId(text('module'))! } : {}),
      ...(text('cn') ? { cn: text('cn').slice(0, 200) } : {}),
      ...(positiveId(text('before')) ? { before: positiveId(text('before'))! } : {}),
    };
    const [page, modules] = await Promise.all([listServicePage(ctx, filters), readModuleOptions(ctx)]);
    const keep = new URLSearchParams();
    for (const name of ['status', 'client', 'product', 'module', 'cn'])
      if (text(name)) keep.set(name, text(name));
    const next = page.nextBefore === null ? null : new URLSearchParams(keep);
    next?.set('before', String(page.nextBefore));
    return render(
      reply,
      'admin/services',
      {
        services: page.services,
        rows: serviceRowsHtml(page.services),
        filters: {
          status: text('status'),
          client: text('client'),
          product: text('product'),
          module: text('module'),
          cn: text('cn'),
        },
        options: {
          statuses: optionsHtml(
            SERVICE_STATUSES.map((s) => ({ value: s, text: s.replace(/_/g, ' ') })),
            text('status'),
          ),
          products: optionsHtml(
            CERTIFICATE_PRODUCTS.map((p) => ({ value: p.code, text: `${p.family} (${p.validation})` })),
            text('product'),
          ),
          modules: optionsHtml(
            modules.map((m) => ({ value: String(m.id), text: m.name })),
            text('module'),
          ),
        },
        nextUrl: next ? `/admin/services?${next.toString()}` : null,
        firstUrl:
          filters.before !== undefined ? `/admin/services${keep.size ? `?${keep.toString()}` : ''}` : null,
      },
      { title: 'Services' },
    );
  });

  scope.get('/services/:id', async (req, reply) => {
    // Everything keyed by the id is read beside the service (on PostgreSQL each read is a round trip).
    const id = positiveId((req.params as { id: string }).id) ?? 0;
    const [{ service, parties }, generations, tasks, notifications] = await Promise.all([
      serviceOf(ctx, (req.params as { id: string }).id).then(async (service) => ({
        service,
        parties: await readServiceParties(ctx, service.clientId, service.tariffId),
      })),
      readGenerations(ctx, id),
      readServiceTasks(ctx, id),
      readServiceNotifications(ctx, id),
    ]);
    const { client, tariff } = parties;
    const view = viewService(service);
    const current = generations.filter((g) => g.state === 'issued').at(-1) ?? generations.at(-1) ?? null;
    const last = generations.at(-1) ?? null;
    const pending = last !== null && ['intent', 'ordered', 'awaiting_validation'].includes(last.state);
    return render(
      reply,
      'admin/service',
      {
        service: view,
        client,
        tariff,
        moduleName: current?.moduleName ?? null,
        lastProblem: view.validation?.lastError ?? null,
        generations,
        tasks,
        notifications,
        actions: {
          retry: service.status === 'failed',
          reissue: service.status === 'active' && !pending,
          reissueWhyNot:
            service.status !== 'active'
              ? `Only an active service is reissued; this one is ${service.status.replace('_', ' ')}.`
              : pending
                ? `A certificate is already on its way (generation ${last!.seq}, ${last!.state.replace('_', ' ')}).`
                : null,
          cancel: service.status !== 'cancelled' && service.status !== 'expired',
          refund: `${formatMoney(service.price.total)} ${service.price.total.currency}`,
          refundDaysBefore: REFUND_DAYS_BEFORE_ISSUE,
          refundDaysAfter: REFUND_DAYS_AFTER_ISSUE,
        },
        idempotencyKey: randomUUID(),
      },
      { title: `Service ${service.id} ${service.commonName}` },
    );
  });

  scope.post('/services/:id/retry', async (req, reply) => {
    const service = await serviceOf(ctx, (req.params as { id: string }).id);
    try {
      const retried = await retryService(ctx, service.id);
      await setFlash(
        reply,
        'info',
        `Service ${service.id} is ordered again (certificate generation ${retried.seq}); the order goes to the CA within a minute. ` +
          `This page shows its progress: the CA order id, then the validation the client owes, then Active.`,
      );
    } catch (err) {
      await flashError(reply, err);
    }
    return reply.redirect(`/admin/services/${service.id}`, 303);
  });

  scope.post('/services/:id/reissue', async (req, reply) => {
    const service = await serviceOf(ctx, (req.params as { id: string }).id);
    const { services } = await reissueNow(ctx, { serviceIds: [service.id] });
    const entry = services[0]!;
    if (entry.action === 'reissue') {
      await setFlash(
        reply,
        'info',
        `Reissue decided (certificate generation ${entry.seq}): the new certificate is ordered from the CA within a minute. ` +
          `The current certificate stays in use until the new one is issued; this page shows its progress.`,
      );
    } else {
      await setFlash(reply, 'error', `Not reissued: ${entry.reason ?? 'nothing to reissue'}.`);
    }
    return reply.redirect(`/admin/services/${service.id}`, 303);
  });

  scope.post('/services/:id/cancel', async (req, reply) => {
    const service = await serviceOf(ctx, (req.params as { id: string }).id);
    const key = formValues(req)['idempotency_key'] || randomUUID();
    try {
      const cancelled = await cancelService(ctx, { serviceId: service.id, idempotencyKey: `panel-${key}` });
      const refunded = `${formatMoney(cancelled.refunded)} ${cancelled.refunded.currency}`;
      await setFlash(
        reply,
        'success',
        `Service ${service.id} cancelled; ${refunded} refunded to the client's balance. ` +
          `A CA order still pending is cancelled at the CA in the background.`,
      );
    } catch (err) {
      await flashError(reply, err);
    }
    return reply.redirect(`/admin/services/${service.id}`, 303);
  });
};

async function serviceOf(ctx: AppContext, idText: string) {
  const id = positiveId(idText);
  if (id === null) throw new AppError('BILLING_SERVICE_NOT_FOUND', `Service ${idText} does not exist.`);
  return getService(ctx.db.kysely, id);
}

async function flashError(reply: Parameters<typeof setFlash>[0], err: unknown): Promise<void> {
  if (!isAppError(err)) throw err;
  await setFlash(reply, 'error', err.message);
}
