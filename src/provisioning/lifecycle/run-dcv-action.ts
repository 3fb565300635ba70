import { getService, serviceNotFound } from '../../billing/service-repository.ts';
import { openProcessingModule } from '../open-processing-module.ts';
import type { ValidationAction } from '../processing-module.ts';
import { listGenerations, pendingGeneration } from './generation-repository.ts';
import { createLifecycleError } from './lifecycle-error.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import { applyOutcome, type PollCaOrderResult } from './poll-ca-order.ts';

/**
 * What the client asks for: check now, resend the e-mail, another approver. Another method is
 * `switchValidationMethod` (switch-validation-method.ts).
 */
export interface RunDcvActionInput {
  readonly serviceId: number;
  /** A client's own services only; null or absent for an admin. */
  readonly clientId?: number | null;
  readonly check?: boolean;
  readonly resend?: boolean;
  readonly approverEmail?: string;
}

/**
 * Acts on the pending domain validation of a service's certificate at the CA and records what the
 * CA says afterwards (it may issue at once). Fails with BILLING_SERVICE_NOT_FOUND,
 * LIFECYCLE_NO_PENDING_VALIDATION, LIFECYCLE_DCV_ACTION_INVALID.
 * @example await runDcvAction(ctx, { serviceId: 7, check: true }) → { outcome: 'issued', … }
 */
export async function runDcvAction(
  ctx: LifecycleContext,
  input: RunDcvActionInput,
): Promise<PollCaOrderResult> {
  const service = await getService(ctx.db.kysely, input.serviceId);
  if (input.clientId !== undefined && input.clientId !== null && service.clientId !== input.clientId) {
    throw serviceNotFound(input.serviceId);
  }
  const pending = pendingGeneration(await listGenerations(ctx.db.kysely, service.id));
  if (!pending?.caOrderId || pending.moduleId === null) {
    throw createLifecycleError(
      'LIFECYCLE_NO_PENDING_VALIDATION',
      `Service ${service.id} has no CA order waiting for domain validation (it is ${service.status}).`,
      { serviceId: service.id },
    );
  }
  const method = pending.validation?.method ?? pending.dcvMethod;
  let action: ValidationAction | null = null;
  if (input.approverEmail) action = { kind: 'change-approver', approverEmail: input.approverEmail };
  else if (input.resend) action = { kind: 'resend-email' };
  else if (input.check && method === 'http') action = { kind: 'verify-http' };
  else if (input.check && method === 'dns') action = { kind: 'verify-dns' };
  else if (!input.check) {
    throw createLifecycleError(
      'LIFECYCLE_DCV_ACTION_INVALID',
      'Say what to do: --check, --resend, --approver <email>, or switch --method http|dns|email.',
    );
  }
  if ((input.resend || input.approverEmail) && method !== 'email') {
    throw createLifecycleError(
      'LIFECYCLE_DCV_ACTION_INVALID',
      `The order of service ${service.id} is validated by ${method}; --resend and --approver apply to e-mail validation only.`,
      { method },
    );
  }
  const module = await openProcessingModule(ctx, pending.moduleId);
  try {
    const outcome = action
      ? await module.runValidationAction({
          caOrderId: pending.caOrderId,
          commonName: service.commonName,
          action,
        })
      : await module.fetchOrder({ caOrderId: pending.caOrderId });
    return await applyOutcome(ctx, pending, outcome);
  } finally {
    module.close();
  }
}
