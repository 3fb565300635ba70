import { getService, serviceNotFound } from '../../billing/service-repository.ts';
import { AppError } from '../../core/errors/index.ts';
import { normaliseName } from '../../domain/normalise-name.ts';
import { openProcessingModule } from '../open-processing-module.ts';
import type { Approver } from '../processing-module.ts';
import { listGenerations, pendingGeneration } from './generation-repository.ts';
import type { LifecycleContext } from './lifecycle-context.ts';
import { listModuleCandidates } from './select-module.ts';

export interface ListOrderApproversInput {
  /** Before ordering: the tariff whose first enabled processing module is asked. */
  readonly tariffId?: number;
  /** After ordering: the service whose pending CA order's module is asked (its names are used). */
  readonly serviceId?: number;
  /** A client's own services only; null or absent for an admin. */
  readonly clientId?: number | null;
  /** Before ordering: the common name and SANs as typed. */
  readonly commonName?: string;
  readonly sans?: readonly string[];
}

export interface OrderApprovers {
  readonly moduleId: number;
  readonly commonName: string;
  /** The CA's addresses an approval e-mail may go to, in the CA's order (the first is the default). */
  readonly approvers: readonly Approver[];
}

/**
 * The approver addresses the CA offers for e-mail validation of a DV order: before ordering for a
 * tariff and names (asking the processing module the order would go to: the first enabled one by
 * Sort), or for a service's pending CA order (asking that order's module). `email:<address>` of an
 * order, and `approverEmail` of the validation actions, take one of these. Fails with
 * BILLING_SERVICE_NOT_FOUND (also another client's service), PROVISIONING_MODULE_NOT_FOUND (no
 * enabled module), DOMAIN_* (a name that is not valid), PROVISIONING_CA_* (the CA did not answer).
 * @example await listOrderApprovers(ctx, { tariffId: 2, commonName: 'example.com' })
 *   → { moduleId: 1, commonName: 'example.com', approvers: [{ email: 'admin@example.com', type: 'GENERIC' }, …] }
 */
export async function listOrderApprovers(
  ctx: LifecycleContext,
  input: ListOrderApproversInput,
): Promise<OrderApprovers> {
  let moduleId: number | null = null;
  let commonName: string;
  let sans: readonly string[];
  if (input.serviceId !== undefined) {
    const service = await getService(ctx.db.kysely, input.serviceId);
    if (input.clientId !== undefined && input.clientId !== null && service.clientId !== input.clientId) {
      throw serviceNotFound(input.serviceId);
    }
    commonName = service.commonName;
    sans = service.names.map((n) => n.name);
    moduleId = pendingGeneration(await listGenerations(ctx.db.kysely, service.id))?.moduleId ?? null;
  } else {
    commonName = normaliseName(input.commonName ?? '').name;
    sans = (input.sans ?? []).map((s) => s.trim()).filter((s) => s !== '');
  }
  if (moduleId === null) {
    const candidates = input.tariffId !== undefined ? await listModuleCandidates(ctx, input.tariffId) : [];
    const first = candidates.find((m) => m.enabled === 1);
    if (!first) {
      throw new AppError(
        'PROVISIONING_MODULE_NOT_FOUND',
        'No enabled processing module takes this order, so the CA cannot be asked for approver addresses; an administrator must enable one.',
        { tariffId: input.tariffId ?? null },
      );
    }
    moduleId = Number(first.id);
  }
  const module = await openProcessingModule(ctx, moduleId);
  try {
    const list = await module.approverList({ commonName, sans });
    return { moduleId, commonName, approvers: list.approvers };
  } finally {
    module.close();
  }
}
