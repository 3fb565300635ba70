import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { certificateProduct, productTitle } from '../../billing/certificate-products.ts';
import { getService, viewService, type Service, type ServiceView } from '../../billing/service-repository.ts';
import { httpStatusOf, isAppError, type AppError } from '../../core/errors/index.ts';
import { deliverCertificate } from '../../provisioning/delivery/deliver-certificate.ts';
import { listGenerations, type Generation } from '../../provisioning/lifecycle/generation-repository.ts';
import { listOrderApprovers } from '../../provisioning/lifecycle/list-order-approvers.ts';
import { runDcvAction } from '../../provisioning/lifecycle/run-dcv-action.ts';
import { switchValidationMethod } from '../../provisioning/lifecycle/switch-validation-method.ts';
import type { DcvMethod } from '../../provisioning/processing-module.ts';
import { requestClientReissue } from '../../subscriptions/request-client-reissue.ts';
import { clientOf, type ClientPrincipal } from '../access/principal.ts';
import { loadOwned } from '../ownership.ts';
import type { PanelPage } from '../page.ts';
import { render, setFlash } from '../render.ts';
import { pageOf, readClientServices } from './client-services-data.ts';

/** The download buttons of a service page, in the order shown. */
export const DOWNLOADS = [
  { format: 'pem', label: 'Download certificate (PEM)' },
  { format: 'chain', label: 'Download chain (PEM)' },
  { format: 'fullchain', label: 'Download full chain (PEM)' },
  { format: 'p7b', label: 'Download PKCS#7' },
  { format: 'zip', label: 'Download ZIP' },
] as const;

/** The validation methods of "Change validation method", with the order form's words. */
export const VALIDATION_METHODS = [
  { value: 'email', label: 'E-mail to an approver address' },
  { value: 'http', label: 'HTTP file on the web server' },
  { value: 'dns', label: 'DNS TXT record' },
] as const;

/** What the client typed into the Reissue form, kept when the page is shown again with an error. */
interface ReissueForm {
  readonly keyMode: 'generate' | 'csr';
  readonly csr: string;
}

/** What the page shows beside a form after a refused POST: the message and what was typed. */
interface PageExtras {
  readonly reissueForm?: ReissueForm;
  readonly reissueError?: string;
  readonly switchForm?: { readonly method: string; readonly approverEmail: string };
  readonly switchError?: string;
  readonly status?: number;
}

/**
 * My services (`/client/services`) and a service's page: both dates, the CA order, the names, the
 * validation instructions with "Check now" / "Resend" / "Change approver" (the use cases of
 * `POST /api/services/:id/dcv/*`), a status the page's script polls while the certificate is on its
 * way, downloads in every format (`deliverCertificate`, as `GET /api/services/:id/certificate`), the
 * certificates' history, the client's own Reissue (`requestClientReissue`, as
 * `POST /api/services/:id/reissue`) and "Change validation method" of a pending DV order
 * (`switchValidationMethod`, as `POST /api/services/:id/dcv/switch`). Every route loads the service
 * by (id, client id): another client's service answers 404.
 */
export const clientServicePages: PanelPage = (scope, ctx) => {
  scope.get('/services', async (req, reply) => {
    const me = clientOf(req);
    const page = await readClientServices(ctx.db.kysely, me.clientId, pageOf(req.query));
    return render(reply, 'client/services', { list: page }, { title: 'My services' });
  });

  scope.get('/services/:id', async (req, reply) => showService(reply, await ownedService(ctx, req)));

  scope.get('/services/:id/status', async (req, reply) => {
    const service = await ownedService(ctx, req);
    return reply.header('cache-control', 'no-store').send(statusOf(viewService(service)));
  });

  scope.post('/services/:id/check', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    return act(reply, service.id, async () => {
      const result = await runDcvAction(ctx, { serviceId: service.id, clientId: me.clientId, check: true });
      if (result.outcome === 'issued') return { kind: 'success', text: 'The CA issued the certificate.' };
      if (result.outcome === 'rejected')
        return { kind: 'error', text: `The CA refused the order: ${result.message}` };
      const after = viewService(await getService(ctx.db.kysely, service.id));
      const why = after.validation?.lastError;
      return {
        kind: 'info',
        text: `Checked now: the CA has not validated the domain yet.${why ? ` ${why}` : ''} certbill checks again by itself.`,
      };
    });
  });

  scope.post('/services/:id/resend', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    return act(reply, service.id, async () => {
      await runDcvAction(ctx, { serviceId: service.id, clientId: me.clientId, resend: true });
      return { kind: 'success', text: 'The CA sent the approval e-mail again.' };
    });
  });

  scope.get('/services/:id/approver', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    const view = viewService(service);
    let approvers: string[] = [];
    let problem: string | null = null;
    try {
      approvers = (
        await listOrderApprovers(ctx, {
          serviceId: service.id,
          clientId: me.clientId,
          tariffId: service.tariffId,
        })
      ).approvers.map((a) => a.email);
    } catch (err) {
      if (!isAppError(err)) throw err;
      problem = err.message;
    }
    const current =
      view.validation?.instructions?.method === 'email'
        ? (view.validation.instructions.approverEmail ?? null)
        : null;
    return render(
      reply,
      'client/service-approver',
      {
        service: view,
        approvers: approvers.map((email) => ({ email, selected: email === current })),
        current,
        problem,
      },
      { title: 'Change approver' },
    );
  });

  scope.post('/services/:id/approver', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    const email = String((req.body as Record<string, unknown> | undefined)?.['approverEmail'] ?? '').trim();
    return act(reply, service.id, async () => {
      if (email === '') return { kind: 'error', text: 'Choose an approver address.' };
      await runDcvAction(ctx, { serviceId: service.id, clientId: me.clientId, approverEmail: email });
      return { kind: 'success', text: `The approval e-mail now goes to ${email}.` };
    });
  });

  // The client's own reissue, at no charge: a new key (certbill's) or a new CSR (the client's).
  scope.post('/services/:id/reissue', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    const form: ReissueForm = {
      keyMode: body['keyMode'] === 'csr' ? 'csr' : 'generate',
      csr: String(body['csr'] ?? ''),
    };
    try {
      if (form.keyMode === 'csr' && form.csr.trim() === '') {
        return await showService(reply, service, {
          reissueForm: form,
          reissueError: `Paste the new CSR for ${service.commonName}, or choose "Generate a new key".`,
          status: 400,
        });
      }
      const requested = await requestClientReissue(ctx, {
        serviceId: service.id,
        clientId: me.clientId,
        csr: form.keyMode === 'csr' ? form.csr : null,
      });
      if (requested.privateKeyPem) {
        return render(
          reply,
          'client/service-reissue-key',
          {
            serviceId: service.id,
            commonName: service.commonName,
            message: requested.message,
            privateKeyPem: requested.privateKeyPem,
          },
          { title: 'Your new private key' },
        );
      }
      await setFlash(reply, 'success', requested.message);
      return reply.redirect(`/client/services/${service.id}`, 303);
    } catch (err) {
      if (!isAppError(err) || isNotFound(err)) throw err;
      return showService(reply, await getService(ctx.db.kysely, service.id), {
        reissueForm: form,
        reissueError: err.message,
        status: httpStatusOf(err.kind),
      });
    }
  });

  // A pending DV first order validated another way: the use case of `POST /api/services/:id/dcv/switch`.
  scope.post('/services/:id/validation-method', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    const body = (req.body as Record<string, unknown> | undefined) ?? {};
    const form = {
      method: String(body['method'] ?? ''),
      approverEmail: String(body['approverEmail'] ?? '').trim(),
    };
    const method = VALIDATION_METHODS.find((m) => m.value === form.method)?.value;
    try {
      if (!method) {
        return await showService(reply, service, {
          switchForm: form,
          switchError: 'Choose how the CA checks the domain: e-mail, HTTP file or DNS TXT record.',
          status: 400,
        });
      }
      const switched = await switchValidationMethod(ctx, {
        serviceId: service.id,
        clientId: me.clientId,
        method: method as DcvMethod,
        ...(method === 'email' && form.approverEmail !== '' ? { approverEmail: form.approverEmail } : {}),
      });
      await setFlash(
        reply,
        switched.state === 'abandoned' ? 'info' : 'success',
        switched.state === 'done'
          ? `Validation method changed to ${labelOf(method)}. ${switched.message}`
          : switched.message,
      );
      return reply.redirect(`/client/services/${service.id}#validation`, 303);
    } catch (err) {
      if (!isAppError(err) || isNotFound(err)) throw err;
      return showService(reply, await getService(ctx.db.kysely, service.id), {
        switchForm: form,
        switchError: err.message,
        status: httpStatusOf(err.kind),
      });
    }
  });

  // The CA's approver addresses for "Change validation method" (the page's script fills the select).
  scope.get('/services/:id/approvers', async (req, reply) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    reply.header('cache-control', 'no-store');
    try {
      const list = await listOrderApprovers(ctx, {
        serviceId: service.id,
        clientId: me.clientId,
        tariffId: service.tariffId,
      });
      return { approvers: list.approvers.map((a) => a.email) };
    } catch (err) {
      if (!isAppError(err) || isNotFound(err)) throw err;
      return reply.status(httpStatusOf(err.kind)).send({ error: { code: err.code, message: err.message } });
    }
  });

  const download = async (req: FastifyRequest, reply: FastifyReply, password: string | undefined) => {
    const me = clientOf(req);
    const service = await ownedService(ctx, req);
    const format = (req.params as { format: string }).format;
    const file = await deliverCertificate(ctx, {
      serviceId: service.id,
      clientId: me.clientId,
      format,
      ...(password !== undefined ? { password } : {}),
    });
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`)
      .header('cache-control', 'no-store')
      .send(file.body);
  };

  scope.get('/services/:id/download/:format', async (req, reply) => download(req, reply, undefined));

  // The PKCS#12 (and the zip with the key) need a password: sent in a form body, never in a URL.
  scope.post('/services/:id/download/:format', async (req, reply) => {
    const password = String((req.body as Record<string, unknown> | undefined)?.['password'] ?? '');
    try {
      return await download(req, reply, password);
    } catch (err) {
      if (!isAppError(err) || err.code === 'CORE_NOT_FOUND' || err.code === 'BILLING_SERVICE_NOT_FOUND')
        throw err;
      await setFlash(reply, 'error', err.message);
      return reply.redirect(`/client/services/${(req.params as { id: string }).id}#downloads`, 303);
    }
  });

  /**
   * The service page; after a refused Reissue or Change validation method, with the message beside
   * the form and what was typed.
   */
  async function showService(reply: FastifyReply, service: Service, extras: PageExtras = {}) {
    const generations = await listGenerations(ctx.db.kysely, service.id);
    const view = viewService(service);
    const issued = generations.filter((g) => g.state === 'issued').at(-1) ?? null;
    const switchable = canSwitchValidation(service, view, issued);
    const switchForm = extras.switchForm ?? {
      method: view.validation?.instructions?.method ?? view.dcv?.method ?? 'email',
      approverEmail: '',
    };
    const reissueForm = extras.reissueForm ?? {
      keyMode: service.provisioning.generateKey ? 'generate' : 'csr',
      csr: '',
    };
    return render(
      reply,
      'client/service',
      {
        service: view,
        product: titleOf(service),
        status: statusOf(view),
        // Strict views read every field: an e-mail instruction may not name its address.
        instructions: view.validation?.instructions
          ? { approverEmail: null, ...view.validation.instructions }
          : null,
        validation: view.validation,
        history: generations.map(historyRow),
        downloads: issued ? DOWNLOADS : [],
        keyHeld: issued?.keyHeld ?? false,
        dcvMethod: view.validation?.instructions?.method ?? view.dcv?.method ?? null,
        reissue: {
          ...reissueStateOf(service, view, issued, ctx.clock.now()),
          canGenerate: service.provisioning.generateKey,
          keySaved: service.provisioning.saveKey,
          form: reissueForm,
          error: extras.reissueError ?? null,
        },
        switchValidation: switchable
          ? {
              methods: VALIDATION_METHODS.map((m) => ({ ...m, checked: m.value === switchForm.method })),
              approverEmail: switchForm.approverEmail,
              error: extras.switchError ?? null,
            }
          : null,
        // A refused switch of a service that can no longer switch still says why.
        switchError: switchable ? null : (extras.switchError ?? null),
      },
      { title: service.commonName, ...(extras.status ? { status: extras.status } : {}) },
    );
  }
};

/** The service of the `:id` parameter when it is the signed-in client's; 404 otherwise. */
async function ownedService(ctx: AppContext, req: FastifyRequest): Promise<Service> {
  const me: ClientPrincipal = clientOf(req);
  const id = Number((req.params as { id: string }).id);
  const owned = await loadOwned(
    me,
    (clientId) =>
      Number.isSafeInteger(id) && id > 0
        ? ctx.db.kysely
            .selectFrom('services')
            .select('id')
            .where('id', '=', id)
            .where('client_id', '=', clientId)
            .executeTakeFirst()
        : Promise.resolve(undefined),
    'This service',
  );
  return getService(ctx.db.kysely, owned.id);
}

async function act(
  reply: FastifyReply,
  serviceId: number,
  work: () => Promise<{ kind: 'success' | 'info' | 'error'; text: string }>,
) {
  try {
    const said = await work();
    await setFlash(reply, said.kind, said.text);
  } catch (err) {
    if (!isAppError(err)) throw err;
    await setFlash(reply, 'error', err.message);
  }
  return reply.redirect(`/client/services/${serviceId}`, 303);
}

function titleOf(service: Service): string {
  try {
    return productTitle(certificateProduct(service.product), service.wildcard);
  } catch {
    return service.product;
  }
}

/**
 * What the page says about where the certificate is, and whether it is still on its way (the page's
 * script polls `/status` then and reloads when `fingerprint` changes).
 */
export function statusOf(view: ServiceView): {
  status: string;
  line: string;
  pending: boolean;
  actionNeeded: boolean;
  fingerprint: string;
} {
  const v = view.validation;
  const fingerprint = [view.status, v?.state ?? '', v?.caOrderId ?? '', view.expirationDate ?? ''].join('|');
  const base = { status: view.status, actionNeeded: view.clientMustAct, fingerprint };
  if (v && v.state === 'awaiting_validation') {
    const how = v.instructions?.method;
    const line =
      how === 'http'
        ? 'Waiting for domain validation: publish the file below, then press "Check now".'
        : how === 'dns'
          ? 'Waiting for domain validation: publish the TXT record below, then press "Check now".'
          : how === 'email'
            ? "Waiting for domain validation: approve the CA's e-mail sent to the approver address."
            : 'Waiting for the CA to vet the order.';
    return { ...base, line, pending: true };
  }
  if (v && (v.state === 'intent' || v.state === 'ordered')) {
    const line =
      view.status === 'active'
        ? 'Reissue under way: the new certificate is being ordered from the CA… The current one stays valid meanwhile.'
        : 'The certificate is being ordered from the CA…';
    return { ...base, line, pending: true };
  }
  if (v && v.state === 'failed') {
    return {
      ...base,
      line:
        view.status === 'active'
          ? `The reissue failed${v.lastError ? `: ${v.lastError}` : ''}. The current certificate stays in use; support has been told.`
          : `The CA order failed${v.lastError ? `: ${v.lastError}` : ''}. Support has been told.`,
      pending: false,
    };
  }
  if (view.status === 'ordered' || view.status === 'in_progress') {
    return { ...base, line: 'The certificate is being ordered from the CA…', pending: true };
  }
  if (view.status === 'active')
    return { ...base, line: 'Active: the certificate is issued.', pending: false };
  return { ...base, line: `The service is ${view.status.replace(/_/g, ' ')}.`, pending: false };
}

function historyRow(g: Generation) {
  return {
    seq: g.seq,
    kind: g.kind,
    state: g.state,
    caOrderId: g.caOrderId,
    notBefore: g.notBefore,
    notAfter: g.notAfter,
    serialNumber: g.serialNumber,
  };
}

function isNotFound(err: AppError): boolean {
  return err.code === 'CORE_NOT_FOUND' || err.code === 'BILLING_SERVICE_NOT_FOUND';
}

function labelOf(method: string): string {
  return VALIDATION_METHODS.find((m) => m.value === method)?.label ?? method;
}

/**
 * Whether "Change validation method" is offered: a DV first order whose CA order waits for domain
 * validation (what `switchValidationMethod` accepts; a reissue keeps its validation).
 */
function canSwitchValidation(service: Service, view: ServiceView, issued: Generation | null): boolean {
  return (
    issued === null &&
    (service.status === 'ordered' || service.status === 'in_progress') &&
    service.product !== 'OV' &&
    service.product !== 'EV' &&
    view.validation?.state === 'awaiting_validation' &&
    view.validation.caOrderId !== null
  );
}

/**
 * Whether the Reissue button is offered, and if not, why (the same refusals `requestClientReissue`
 * makes, said before the client presses anything).
 */
function reissueStateOf(
  service: Service,
  view: ServiceView,
  issued: Generation | null,
  now: Date,
): { possible: boolean; reason: string | null } {
  if (service.status !== 'active' || !issued?.caOrderId) {
    return { possible: false, reason: 'A reissue is possible once the service is Active.' };
  }
  if (service.paidUntil === null || new Date(service.paidUntil).getTime() <= now.getTime()) {
    return {
      possible: false,
      reason: 'The paid period is over: renew the service to get a new certificate.',
    };
  }
  const v = view.validation;
  if (v && ['intent', 'ordered', 'awaiting_validation'].includes(v.state)) {
    return {
      possible: false,
      reason:
        v.state === 'awaiting_validation'
          ? 'A new certificate is already on its way: it waits for domain validation (see above). You can reissue again once it is issued.'
          : 'A new certificate is already on its way from the CA. You can reissue again once it is issued.',
    };
  }
  return { possible: true, reason: null };
}
