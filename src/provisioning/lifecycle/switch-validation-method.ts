import { getService, serviceNotFound, type Service } from '../../billing/service-repository.ts';
import { AppError } from '../../core/errors/index.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import { openProcessingModule } from '../open-processing-module.ts';
import type { DcvMethod, ProcessingModule, ValidationAction } from '../processing-module.ts';
import { isProviderError } from '../provider-error.ts';
import { completeDcvSwitch, DCV_SWITCH_JOB, type DcvSwitchPayload } from './complete-dcv-switch.ts';
import { listGenerations, pendingGeneration, type Generation } from './generation-repository.ts';
import { lifecycleKysely, reportStep, type LifecycleContext } from './lifecycle-context.ts';
import { createLifecycleError } from './lifecycle-error.ts';
import { applyOutcome } from './poll-ca-order.ts';

export interface SwitchValidationMethodInput {
  readonly serviceId: number;
  /** A client's own services only; null or absent for an admin. */
  readonly clientId?: number | null;
  readonly method: DcvMethod;
  /** E-mail validation only: an address of the CA's approver list (default: the list's first). */
  readonly approverEmail?: string;
}

/**
 * What a switch did. `in-place`: the module changed the pending order itself (another approver of
 * an e-mail order, or a CA that can switch methods); `reorder`: the pending CA order is cancelled
 * and the same certificate is ordered again with the new method. `state` is `done` once the new
 * order's generation is recorded (the `place-order` job places it), `requested` while the job
 * `dcv-switch:<id>` still has to cancel (the CA could not be reached now), `abandoned` when the
 * CA issued the pending order before it could be cancelled (the service keeps that certificate).
 */
export interface SwitchValidationMethodResult {
  readonly serviceId: number;
  readonly how: 'in-place' | 'reorder';
  readonly switchId: number | null;
  readonly state: 'done' | 'requested' | 'abandoned';
  readonly from: { readonly method: string | null; readonly caOrderId: string };
  readonly to: { readonly method: DcvMethod; readonly approverEmail: string | null };
  /** The generation that orders again (reorder, once done). */
  readonly generationId: number | null;
  readonly message: string;
}

/**
 * Switches the domain validation of a service's pending first order to another method (e-mail,
 * HTTP file, DNS record) or another approver address. When the module can do it in place it does;
 * GlobalSign cannot (the method is part of the order), so the lifecycle cancels the pending CA order
 * and orders the same certificate again with the new method: the switch is recorded first
 * (`dcv_switches` and the job `dcv-switch:<id>` in one transaction), then the CA order is cancelled,
 * then the old generation is closed and a new generation in `intent` is recorded with its
 * `place-order` job, so the new order is placed exactly once like a first order. Everything that
 * could make the new order fail (an approver not on the CA's list, HTTP validation of a wildcard) is
 * refused before anything is cancelled. Fails with BILLING_SERVICE_NOT_FOUND,
 * LIFECYCLE_DCV_SWITCH_REFUSED (issued, active, switch under way), LIFECYCLE_NO_PENDING_VALIDATION,
 * LIFECYCLE_DCV_ACTION_INVALID, PROVISIONING_FEATURE_UNSUPPORTED.
 * @example await switchValidationMethod(ctx, { serviceId: 7, method: 'http' })
 *   → { how: 'reorder', state: 'done', from: { method: 'email', caOrderId: 'CESM…1' }, to: { method: 'http', approverEmail: null }, … }
 */
export async function switchValidationMethod(
  ctx: LifecycleContext,
  input: SwitchValidationMethodInput,
): Promise<SwitchValidationMethodResult> {
  const service = await getService(ctx.db.kysely, input.serviceId);
  if (input.clientId !== undefined && input.clientId !== null && service.clientId !== input.clientId) {
    throw serviceNotFound(input.serviceId);
  }
  const pending = await switchableGeneration(ctx, service);
  const caOrderId = pending.caOrderId ?? '';
  const moduleId = pending.moduleId ?? 0;
  const current = pending.validation?.method ?? pending.dcvMethod;
  const approverEmail = input.approverEmail?.trim().toLowerCase() || null;
  if (approverEmail && input.method !== 'email') {
    throw createLifecycleError(
      'LIFECYCLE_DCV_ACTION_INVALID',
      `--approver applies to e-mail validation only; service ${service.id} would switch to ${input.method}.`,
      { method: input.method },
    );
  }
  const from = { method: current, caOrderId };
  const to = { method: input.method, approverEmail };

  const module = await openProcessingModule(ctx, moduleId);
  /** The CA changes the pending order itself: the answer is applied and the service records the method. */
  const inPlace = async (
    action: ValidationAction,
    message: string,
  ): Promise<SwitchValidationMethodResult> => {
    const outcome = await module.runValidationAction({ caOrderId, commonName: service.commonName, action });
    await applyOutcome(ctx, pending, outcome);
    await recordServiceDcv(ctx, service.id, input.method, approverEmail);
    return {
      serviceId: service.id,
      how: 'in-place',
      switchId: null,
      state: 'done',
      from,
      to,
      generationId: pending.id,
      message,
    };
  };
  try {
    if (input.method === current) {
      if (input.method !== 'email' || !approverEmail || approverEmail === pending.approverEmail) {
        throw createLifecycleError(
          'LIFECYCLE_DCV_ACTION_INVALID',
          `The order of service ${service.id} is already validated by ${current}${approverEmail ? ` with ${approverEmail}` : ''}; choose another method or approver.`,
          { method: current },
        );
      }
      await assertApprover(module, service, approverEmail);
      return await inPlace(
        { kind: 'change-approver', approverEmail },
        `The approval e-mail of order ${caOrderId} now goes to ${approverEmail}.`,
      );
    }
    if (module.capabilities.supported.includes('switch-dcv-method')) {
      return await inPlace(
        { kind: 'switch-method', method: input.method },
        `Order ${caOrderId} is now validated by ${input.method}.`,
      );
    }
    assertReorderable(module, service, input.method);
    if (approverEmail) await assertApprover(module, service, approverEmail);
  } finally {
    module.close();
  }

  const switchId = await recordSwitch(ctx, service, pending, from.method, to);
  let completed;
  try {
    completed = await completeDcvSwitch(ctx, switchId);
  } catch (e) {
    // The job finishes it: the switch is recorded, and nothing is ordered until the old order is cancelled.
    if (!isProviderError(e) || !e.retryable) throw e;
    return {
      serviceId: service.id,
      how: 'reorder',
      switchId,
      state: 'requested',
      from,
      to,
      generationId: null,
      message: `The CA could not be reached to cancel order ${caOrderId} (${e.message}); the switch is recorded and finishes by itself.`,
    };
  }
  return {
    serviceId: service.id,
    how: 'reorder',
    switchId,
    state: completed.state,
    from,
    to,
    generationId: completed.toGenerationId,
    message: completed.message,
  };
}

/** The generation whose validation may be switched, or the error saying why there is none. */
async function switchableGeneration(ctx: LifecycleContext, service: Service): Promise<Generation> {
  const generations = await listGenerations(ctx.db.kysely, service.id);
  const pending = pendingGeneration(generations);
  const issued = generations.some((g) => ['issued', 'superseded', 'expired'].includes(g.state));
  if (issued || ['active', 'expired'].includes(service.status)) {
    throw createLifecycleError(
      'LIFECYCLE_DCV_SWITCH_REFUSED',
      `Service ${service.id} (${service.commonName}) is ${service.status} and its certificate is issued: only the validation of a first order still waiting for it can be switched. A pending reissue keeps its validation; use --check, --resend or --approver for it.`,
      { serviceId: service.id, status: service.status },
    );
  }
  if (!pending?.caOrderId || pending.moduleId === null || pending.state === 'intent') {
    throw createLifecycleError(
      'LIFECYCLE_NO_PENDING_VALIDATION',
      `Service ${service.id} has no CA order waiting for domain validation (it is ${service.status}${pending?.state === 'intent' ? ', its order is being placed' : ''}).`,
      { serviceId: service.id },
    );
  }
  if (service.product === 'OV' || service.product === 'EV') {
    throw createLifecycleError(
      'LIFECYCLE_DCV_ACTION_INVALID',
      `Service ${service.id} is ${service.product}: the CA vets its domains itself, there is no validation method to switch.`,
      { product: service.product },
    );
  }
  const open = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('dcv_switches')
    .select('id')
    .where('from_generation_id', '=', pending.id)
    .executeTakeFirst();
  if (open) {
    throw createLifecycleError(
      'LIFECYCLE_DCV_SWITCH_REFUSED',
      `The validation of order ${pending.caOrderId} (service ${service.id}) is already being switched (switch ${open.id}); wait for the new order.`,
      { serviceId: service.id, switchId: Number(open.id) },
    );
  }
  return pending;
}

/** Refuses what the new order could not be: HTTP validation of a wildcard name where unsupported. */
function assertReorderable(module: ProcessingModule, service: Service, method: DcvMethod): void {
  const names = [service.commonName, ...service.names.map((n) => n.name)];
  if (method !== 'http' || !names.some((n) => n.startsWith('*.'))) return;
  const unsupported = module.capabilities.unsupported.find((u) => u.feature === 'wildcard-http-validation');
  if (unsupported) {
    throw new AppError('PROVISIONING_FEATURE_UNSUPPORTED', unsupported.reason, {
      feature: unsupported.feature,
    });
  }
}

async function assertApprover(
  module: ProcessingModule,
  service: Service,
  approverEmail: string,
): Promise<void> {
  const list = await module.approverList({
    commonName: service.commonName,
    sans: service.names.map((n) => n.name),
  });
  const emails = list.approvers.map((a) => a.email.toLowerCase());
  if (!emails.includes(approverEmail)) {
    throw createLifecycleError(
      'LIFECYCLE_DCV_ACTION_INVALID',
      `${approverEmail} is not on the CA's approver list for ${service.commonName}; choose one of ${emails.join(', ')}.`,
      { approverEmail, approvers: emails },
    );
  }
}

async function recordServiceDcv(
  ctx: LifecycleContext,
  serviceId: number,
  method: DcvMethod,
  approverEmail: string | null,
): Promise<void> {
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('services')
    .set({ dcv_method: method, dcv_email: approverEmail, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', serviceId)
    .execute();
}

/** Writes the switch and its job in one transaction; a second request for the same order is refused. */
async function recordSwitch(
  ctx: LifecycleContext,
  service: Service,
  pending: Generation,
  fromMethod: string | null,
  to: { readonly method: DcvMethod; readonly approverEmail: string | null },
): Promise<number> {
  const now = ctx.clock.now();
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    const inserted = await lifecycleKysely(trx)
      .insertInto('dcv_switches')
      .values({
        service_id: service.id,
        from_generation_id: pending.id,
        from_ca_order_id: pending.caOrderId ?? '',
        from_method: fromMethod,
        to_method: to.method,
        approver_email: to.approverEmail,
        to_generation_id: null,
        state: 'requested',
        message: null,
        requested_at: now.toISOString(),
        finished_at: null,
      })
      .onConflict((oc) => oc.column('from_generation_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return null;
    const switchId = Number(inserted.id);
    const payload: DcvSwitchPayload = { switchId };
    await enqueueJob(
      ctx.db,
      { kind: DCV_SWITCH_JOB, key: `${DCV_SWITCH_JOB}:${switchId}`, payload, runAt: now, now },
      trx,
    );
    return switchId;
  });
  if (id === null) {
    throw createLifecycleError(
      'LIFECYCLE_DCV_SWITCH_REFUSED',
      `The validation of order ${pending.caOrderId} (service ${service.id}) is already being switched; wait for the new order.`,
      { serviceId: service.id },
    );
  }
  reportStep(ctx, 'switch-requested', pending.id);
  return id;
}
