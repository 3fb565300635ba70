import { getService, type Service } from '../billing/service-repository.ts';
import { isAppError } from '../core/errors/index.ts';
import { computeReissueValidity, limitsOn, type ReissueValidity } from '../domain/index.ts';
import { formatUtcDate } from '../domain/utc-date.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { generateKeyAndCsr } from '../provisioning/keys/generate-key-and-csr.ts';
import {
  getGeneration,
  listGenerations,
  privateKeyAad,
  type Generation,
} from '../provisioning/lifecycle/generation-repository.ts';
import { POLL_ORDER_JOB, type PollOrderPayload } from '../provisioning/lifecycle/job-kinds.ts';
import { reportStep, type LifecycleContext } from '../provisioning/lifecycle/lifecycle-context.ts';
import { departmentOfModule } from '../provisioning/lifecycle/poll-ca-order.ts';
import { failGeneration } from '../provisioning/lifecycle/service-failure.ts';
import { findModuleRow } from '../provisioning/module-repository.ts';
import { moduleSettingsOf, openProcessingModule } from '../provisioning/open-processing-module.ts';
import type { ProcessingModule, ValidationInstructions } from '../provisioning/processing-module.ts';
import { isProviderError } from '../provisioning/provider-error.ts';
import { validationVariables } from '../notifications/validation-variables.ts';
import {
  recordClientNotification,
  type CertificateNotificationVariables,
} from './record-client-notification.ts';
import { subscriptionsKysely } from './subscriptions-kysely.ts';

const DAY_MS = 86_400_000;

/** What one run of `placeReissue` did. */
export type PlaceReissueResult =
  | {
      readonly outcome: 'placed';
      readonly caOrderId: string;
      readonly adopted: boolean;
      /** The validity asked for: never past paid until, never over the day's maximum. */
      readonly validity: ReissueValidity;
      /** Names whose validation is too old to reuse on the reissue day. */
      readonly freshValidation: readonly string[];
    }
  | { readonly outcome: 'failed'; readonly message: string }
  | { readonly outcome: 'nothing-to-do'; readonly state: string };

/**
 * Places the CA reissue of a generation in state `intent` (kind `reissue`) with the module that
 * holds the current certificate's order: a new key and CSR when certbill holds the key (sealed
 * first, so a retry reuses them), the client's last CSR otherwise. The validity asked for is
 * `computeReissueValidity` on the reissue day, sent as the reissue's notAfter; past the paid
 * period nothing is placed. When a name's last validation is older than the reuse period in force
 * that day (or, for OV/EV, the organization's), the reissue waits in `awaiting_validation` with the
 * chain's instructions and the client gets a `certificate-validation-required` notification with
 * them; the poll job asks the CA to check the file or record again, with backoff, until it passes.
 * After the CA answers, the order id, the state, the notification and the `poll-order` job are
 * written in one transaction; the poll job issues it and supersedes the previous certificate. A
 * retry after an answer that may have been lost looks the order up first.
 * @example await placeReissue(ctx, 12) → { outcome: 'placed', caOrderId: 'CESM2610090002', adopted: false, … }
 */
export async function placeReissue(ctx: LifecycleContext, generationId: number): Promise<PlaceReissueResult> {
  let generation = await getGeneration(ctx.db.kysely, generationId);
  if (generation.state !== 'intent') {
    if (generation.caOrderId) await enqueuePoll(ctx, generation.id);
    return { outcome: 'nothing-to-do', state: generation.state };
  }
  const service = await getService(ctx.db.kysely, generation.serviceId);
  const previous = (await listGenerations(ctx.db.kysely, service.id))
    .filter((g) => g.seq < generation.seq && g.state === 'issued' && g.caOrderId && g.moduleId)
    .at(-1);
  const now = ctx.clock.now();
  if (!previous || service.status !== 'active') {
    return fail(
      ctx,
      generation,
      service,
      previous ?? null,
      `Service ${service.id} (${service.commonName}) has no active certificate with a CA order to reissue.`,
    );
  }
  let validity: ReissueValidity;
  try {
    validity = computeReissueValidity(now, new Date(service.paidUntil ?? now.toISOString()));
  } catch (e) {
    if (!isAppError(e)) throw e;
    return fail(
      ctx,
      generation,
      service,
      previous,
      `The reissue of ${service.commonName} (service ${service.id}) was not placed: ${e.message}`,
    );
  }
  const freshValidation = await namesNeedingValidation(ctx, service, now);
  generation = await ensureCsr(ctx, generation, previous, service);
  const placement: Placement = {
    generation,
    previous,
    service,
    moduleId: previous.moduleId as number,
    freshValidation,
    instructions: freshValidation.length ? await chainInstructions(ctx, service.id, previous) : null,
  };

  const moduleId = placement.moduleId;
  const mayHavePlaced = generation.placeStartedAt !== null;
  const module = await openProcessingModule(ctx, moduleId);
  try {
    if (mayHavePlaced) {
      const adopted = await findPlacedReissue(ctx, generation, previous, service, moduleId);
      if (adopted) {
        await recordPlacement(ctx, placement, adopted);
        return { outcome: 'placed', caOrderId: adopted, adopted: true, validity, freshValidation };
      }
    } else {
      await subscriptionsKysely(ctx.db.kysely)
        .updateTable('certificate_generations')
        .set({ module_id: moduleId, place_started_at: now.toISOString(), updated_at: now.toISOString() })
        .where('id', '=', generation.id)
        .where('state', '=', 'intent')
        .execute();
      reportStep(ctx, 'module-pinned', generation.id);
    }
    const caOrderId = await reissueAtCa(ctx, module, generation, previous, service, validity);
    if (caOrderId === null) {
      return { outcome: 'failed', message: 'the CA refused the reissue' };
    }
    reportStep(ctx, 'ca-answered', generation.id);
    await recordPlacement(ctx, placement, caOrderId);
    return { outcome: 'placed', caOrderId, adopted: false, validity, freshValidation };
  } finally {
    module.close();
  }
}

async function reissueAtCa(
  ctx: LifecycleContext,
  module: ProcessingModule,
  generation: Generation,
  previous: Generation,
  service: Service,
  validity: ReissueValidity,
): Promise<string | null> {
  ctx.log.write(
    'notice',
    'subscriptions',
    `service ${service.id}: reissuing ${previous.caOrderId} for ${validity.days} days (until ${validity.notAfter.toISOString()}${validity.limitedByPaidUntil ? ', the end of the paid period' : ''})`,
  );
  try {
    const reissued = await module.reissue({
      caOrderId: previous.caOrderId ?? '',
      csr: generation.csr ?? '',
      notAfter: validity.notAfter.toISOString(),
    });
    return reissued.caOrderId;
  } catch (e) {
    if (isProviderError(e) && e.party === 'client-data') {
      await fail(
        ctx,
        generation,
        service,
        previous,
        `The CA refused the reissue of ${service.commonName} (service ${service.id}): ${e.message}. The client must fix this.`,
      );
      return null;
    }
    throw e;
  }
}

/**
 * The names whose last validation may not be reused at `at`: DCV by the reuse period of that day;
 * for OV and EV the organization vetting (recorded as the names' `ca-vetting`) by the SII period.
 */
export async function namesNeedingValidation(
  ctx: Pick<LifecycleContext, 'db'>,
  service: Pick<Service, 'id' | 'product'>,
  at: Date,
): Promise<string[]> {
  const limits = limitsOn(at);
  const reuseDays =
    service.product === 'OV' || service.product === 'EV'
      ? Math.min(limits.dcvReuseDays, limits.siiReuseDays)
      : limits.dcvReuseDays;
  const rows = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('name_validations')
    .select(['name', 'validated_at'])
    .where('service_id', '=', service.id)
    .orderBy('name')
    .execute();
  return rows
    .filter((r) => at.getTime() - new Date(r.validated_at).getTime() > reuseDays * DAY_MS)
    .map((r) => r.name);
}

async function ensureCsr(
  ctx: LifecycleContext,
  generation: Generation,
  previous: Generation,
  service: Service,
): Promise<Generation> {
  if (generation.csr) return generation;
  let csr: string;
  let sealed: string | null = null;
  if (previous.keyHeld) {
    const made = await generateKeyAndCsr({
      commonName: service.commonName,
      sans: service.names.map((n) => n.name),
    });
    csr = made.csrPem;
    sealed = ctx.secrets.seal(made.privateKeyPem, privateKeyAad(generation.id));
  } else {
    csr = previous.csr ?? service.provisioning.csr ?? '';
  }
  // Conditional, so a second worker's key never replaces the first one's.
  await subscriptionsKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ csr, private_key_sealed: sealed, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', generation.id)
    .where('csr', 'is', null)
    .execute();
  return getGeneration(ctx.db.kysely, generation.id);
}

/** What `recordPlacement` writes once the CA answered. */
interface Placement {
  readonly generation: Generation;
  readonly previous: Generation;
  readonly service: Service;
  readonly moduleId: number;
  /** Names whose validation may not be reused today; empty when none. */
  readonly freshValidation: readonly string[];
  /** What the client must do, when fresh validation is needed and the chain's method is known. */
  readonly instructions: ValidationInstructions | null;
}

/**
 * The instructions the chain of certificates was validated with, shown again for a reissue the CA
 * holds for fresh validation: the CA checks the same verification value (HTTP file, TXT record) or
 * mails the same approver. Null when no generation kept them.
 */
export async function chainInstructions(
  ctx: Pick<LifecycleContext, 'db'>,
  serviceId: number,
  previous: Pick<Generation, 'dcvMethod' | 'approverEmail' | 'seq'>,
): Promise<ValidationInstructions | null> {
  const kept = (await listGenerations(ctx.db.kysely, serviceId))
    .filter((g) => g.seq <= previous.seq && g.validation !== null)
    .at(-1)?.validation;
  if (kept && (previous.dcvMethod === null || kept.method === previous.dcvMethod)) return kept;
  if (previous.dcvMethod === 'email') {
    return { method: 'email', ...(previous.approverEmail ? { approverEmail: previous.approverEmail } : {}) };
  }
  return null;
}

/**
 * The variables of a `certificate-validation-required` notification: the certificate in use (CN,
 * order, expiration date), the pending reissue's order and exactly what to do.
 */
export function validationNoticeVariables(
  service: Pick<Service, 'commonName'>,
  previous: Pick<Generation, 'caOrderId' | 'notAfter'>,
  pending: { readonly caOrderId: string | null; readonly instructions: ValidationInstructions | null },
  names: readonly string[],
  urgent: boolean,
): CertificateNotificationVariables {
  return {
    commonName: service.commonName,
    caOrderId: previous.caOrderId,
    expirationDate: previous.notAfter ? formatUtcDate(new Date(previous.notAfter)) : null,
    actionNeeded: true,
    names,
    pendingCaOrderId: pending.caOrderId,
    method: pending.instructions?.method ?? null,
    instructions: pending.instructions,
    // The templates' flat form of the instructions (docs/notifications.md); absent, the outbox
    // takes them from the generation once the CA gives them.
    ...(pending.instructions ? { validation: validationVariables(pending.instructions) } : {}),
    urgent,
  };
}

/**
 * The reissue an earlier attempt may have placed: an order for the name since the attempt that no
 * generation holds. Without an order search for the module kind, null (the CA refuses a second
 * reissue of the same target, so placing again cannot buy twice).
 */
async function findPlacedReissue(
  ctx: LifecycleContext,
  generation: Generation,
  previous: Generation,
  service: Service,
  moduleId: number,
): Promise<string | null> {
  const row = await findModuleRow(ctx.db, moduleId);
  const factory = ctx.lifecycle?.orderSearches?.get(row.kind);
  if (!factory || !generation.placeStartedAt) return null;
  const kind = ctx.modules.get(row.kind);
  const search = factory(moduleSettingsOf(ctx, row), { clock: ctx.clock, logger: ctx.logger(kind.logName) });
  let found;
  try {
    found = await search.findOrders({
      commonName: service.commonName,
      from: new Date(new Date(generation.placeStartedAt).getTime() - DAY_MS),
      to: new Date(ctx.clock.now().getTime() + DAY_MS),
    });
  } finally {
    search.close();
  }
  const ids = found.map((f) => f.caOrderId).filter((id) => id !== previous.caOrderId);
  if (ids.length === 0) return null;
  const held = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('certificate_generations')
    .select('ca_order_id')
    .where('ca_order_id', 'in', ids)
    .execute();
  const taken = new Set(held.map((h) => h.ca_order_id));
  return ids.find((id) => !taken.has(id)) ?? null;
}

async function recordPlacement(
  ctx: LifecycleContext,
  placement: Placement,
  caOrderId: string,
): Promise<void> {
  const { generation, previous, service, instructions } = placement;
  const now = ctx.clock.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = subscriptionsKysely(trx);
    const updated = await k
      .updateTable('certificate_generations')
      .set({
        ca_order_id: caOrderId,
        module_id: placement.moduleId,
        // Held for fresh validation: the client sees what to do from now on.
        state: instructions ? 'awaiting_validation' : 'ordered',
        validation: instructions ? JSON.stringify(instructions) : null,
        dcv_method: previous.dcvMethod,
        approver_email: previous.approverEmail,
        placed_at: now.toISOString(),
        last_error: null,
        updated_at: now.toISOString(),
      })
      .where('id', '=', generation.id)
      .where('state', '=', 'intent')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    if (placement.freshValidation.length) {
      await recordClientNotification(k, {
        clientId: service.clientId,
        serviceId: service.id,
        generationId: generation.id,
        template: 'certificate-validation-required',
        variables: validationNoticeVariables(
          service,
          previous,
          { caOrderId, instructions },
          placement.freshValidation,
          false,
        ),
        now,
      });
    }
    const payload: PollOrderPayload = { generationId: generation.id };
    await enqueueJob(
      ctx.db,
      { kind: POLL_ORDER_JOB, key: `${POLL_ORDER_JOB}:${generation.id}`, payload, runAt: now, now },
      trx as never,
    );
  });
  reportStep(ctx, 'order-recorded', generation.id);
}

async function enqueuePoll(ctx: LifecycleContext, generationId: number): Promise<void> {
  const now = ctx.clock.now();
  const payload: PollOrderPayload = { generationId };
  await enqueueJob(ctx.db, {
    kind: POLL_ORDER_JOB,
    key: `${POLL_ORDER_JOB}:${generationId}`,
    payload,
    runAt: now,
    now,
  });
}

async function fail(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  previous: Generation | null,
  message: string,
): Promise<PlaceReissueResult> {
  await failGeneration(ctx, {
    generationId: generation.id,
    serviceId: service.id,
    departmentId: await departmentOfModule(ctx, previous?.moduleId ?? null),
    title: `Reissue of ${service.commonName} (service ${service.id}) not placed`,
    message,
  });
  return { outcome: 'failed', message };
}
