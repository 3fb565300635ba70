import type { Transaction } from 'kysely';
import { readSslProductSettings } from '../../billing/product-settings.ts';
import { getService } from '../../billing/service-repository.ts';
import { startPaidPeriod } from '../../billing/start-paid-period.ts';
import { computeReissueTrigger, limitsOn } from '../../domain/index.ts';
import { readCertificate } from '../keys/read-certificate.ts';
import { openProcessingModule } from '../open-processing-module.ts';
import type { IssuedOutcome, OrderOutcome, ProcessingModule } from '../processing-module.ts';
import { getGeneration, type Generation } from './generation-repository.ts';
import {
  lifecycleKysely,
  reportStep,
  type LifecycleContext,
  type LifecycleSchema,
} from './lifecycle-context.ts';
import { isSwitchedAway } from './is-switched-away.ts';
import { failGeneration } from './service-failure.ts';
import { recordCertificateIssued } from '../../notifications/record-certificate-event.ts';

/** What one poll found. */
export type PollCaOrderResult =
  | { readonly outcome: 'pending'; readonly runAgainAt: Date }
  | { readonly outcome: 'issued'; readonly notAfter: string; readonly reissueAt: string | null }
  | { readonly outcome: 'rejected'; readonly message: string }
  | { readonly outcome: 'nothing-to-do'; readonly state: string };

const DAY_MS = 86_400_000;
const LAST_CERTIFICATE_SLACK_MS = 60_000;

/**
 * Fetches a placed CA order and moves its generation on: while pending it stores the validation
 * instructions (and, for HTTP and DNS, asks the CA to check again) and says when to poll next;
 * when issued it records the certificate with the dates read from it, the per-name validations,
 * starts the paid period at the first issue, plans the reissue, supersedes the previous certificate
 * and makes the service active; when rejected it fails the service with a task. Safe to repeat.
 * @example await pollCaOrder(ctx, 3) → { outcome: 'issued', notAfter: '2026-10-19T11:59:59.000Z', reissueAt: null }
 */
export async function pollCaOrder(ctx: LifecycleContext, generationId: number): Promise<PollCaOrderResult> {
  const generation = await getGeneration(ctx.db.kysely, generationId);
  if (generation.state === 'issued') return finishIssue(ctx, generation);
  if (
    !['ordered', 'awaiting_validation'].includes(generation.state) ||
    !generation.caOrderId ||
    !generation.moduleId
  ) {
    return { outcome: 'nothing-to-do', state: generation.state };
  }
  const service = await getService(ctx.db.kysely, generation.serviceId);
  const module = await openProcessingModule(ctx, generation.moduleId);
  let outcome: OrderOutcome;
  try {
    outcome = await fetchWithCheck(module, generation, service.commonName);
  } finally {
    module.close();
  }
  reportStep(ctx, 'order-fetched', generation.id);
  return applyOutcome(ctx, generation, outcome);
}

async function fetchWithCheck(
  module: ProcessingModule,
  generation: Generation,
  commonName: string,
): Promise<OrderOutcome> {
  const caOrderId = generation.caOrderId ?? '';
  const outcome = await module.fetchOrder({ caOrderId });
  if (outcome.status !== 'pending' || outcome.reason !== 'domain-validation') return outcome;
  const method = generation.validation?.method ?? generation.dcvMethod;
  // GlobalSign checks an HTTP file or a TXT record only when asked to.
  if (method !== 'http' && method !== 'dns') return outcome;
  const checked = await module.runValidationAction({
    caOrderId,
    commonName,
    action: method === 'http' ? { kind: 'verify-http' } : { kind: 'verify-dns' },
  });
  return checked.status === 'pending' && !checked.validation && outcome.validation
    ? { ...checked, validation: outcome.validation }
    : checked;
}

/** The wait before the next poll: 1 min at first, doubling with the order's age, at most 1 h. */
export function nextPollAt(ctx: LifecycleContext, generation: Generation): Date {
  const base = ctx.lifecycle?.pollDelayMs ?? 60_000;
  const max = ctx.lifecycle?.maxPollDelayMs ?? 3_600_000;
  const now = ctx.clock.now().getTime();
  const age = generation.placedAt ? now - new Date(generation.placedAt).getTime() : 0;
  let delay = base;
  while (delay < max && delay * 4 < age) delay *= 2;
  return new Date(now + Math.min(delay, max));
}

/**
 * Records what the CA said about a generation's order (a poll or a client's validation action).
 * @example await applyOutcome(ctx, generation, { status: 'pending', … }) → { outcome: 'pending', runAgainAt }
 */
export async function applyOutcome(
  ctx: LifecycleContext,
  generation: Generation,
  outcome: OrderOutcome,
): Promise<PollCaOrderResult> {
  const now = ctx.clock.now().toISOString();
  if (outcome.status === 'pending') {
    const validation = outcome.validation ?? generation.validation;
    await lifecycleKysely(ctx.db.kysely)
      .updateTable('certificate_generations')
      .set({
        state: validation ? 'awaiting_validation' : generation.state,
        validation: validation ? JSON.stringify(validation) : null,
        last_error: outcome.lastCheckFailed?.message ?? null,
        updated_at: now,
      })
      .where('id', '=', generation.id)
      .where('state', 'in', ['ordered', 'awaiting_validation'])
      .execute();
    return { outcome: 'pending', runAgainAt: nextPollAt(ctx, generation) };
  }
  if (outcome.status === 'rejected') {
    // The switch of validation method cancelled it and orders again: not a failure of the service.
    if (outcome.reason === 'cancelled' && (await isSwitchedAway(ctx, generation.id))) {
      return { outcome: 'nothing-to-do', state: 'switched' };
    }
    const service = await getService(ctx.db.kysely, generation.serviceId);
    const message = `The CA ${outcome.reason === 'validation-rejected' ? 'rejected the validation of' : 'no longer issues'} order ${outcome.caOrderId} for ${service.commonName} (service ${service.id}): ${outcome.message}`;
    const department = await departmentOfModule(ctx, generation.moduleId);
    await failGeneration(ctx, {
      generationId: generation.id,
      serviceId: service.id,
      departmentId: department,
      title: `Certificate order ${outcome.caOrderId} for ${service.commonName} rejected`,
      message,
    });
    return { outcome: 'rejected', message };
  }
  await recordIssuedCertificate(ctx, generation, outcome);
  return finishIssue(ctx, await getGeneration(ctx.db.kysely, generation.id));
}

export async function departmentOfModule(
  ctx: LifecycleContext,
  moduleId: number | null,
): Promise<number | null> {
  if (moduleId === null) return null;
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('processing_modules')
    .select('department_id')
    .where('id', '=', moduleId)
    .executeTakeFirst();
  return row?.department_id === null || row?.department_id === undefined ? null : Number(row.department_id);
}

async function recordIssuedCertificate(
  ctx: LifecycleContext,
  generation: Generation,
  issued: IssuedOutcome,
): Promise<void> {
  const cert = issued.certificate;
  // The certificate itself is the truth about its dates, whatever the API said.
  const facts = readCertificate(cert.certificatePem);
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx as unknown as Transaction<LifecycleSchema>);
    const updated = await k
      .updateTable('certificate_generations')
      .set({
        state: 'issued',
        certificate_pem: cert.certificatePem,
        chain_pems: JSON.stringify(cert.chainPems),
        root_pem: cert.rootPem ?? null,
        not_before: facts.notBefore,
        not_after: facts.notAfter,
        serial_number: facts.serialNumber,
        issued_at: now,
        // The validation instructions stay: a reissue the CA holds for fresh validation is checked
        // against the chain's verification value, which certbill shows the client again.
        last_error: null,
        updated_at: now,
      })
      .where('id', '=', generation.id)
      .where('state', 'in', ['ordered', 'awaiting_validation'])
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    for (const v of issued.validations) {
      await k
        .insertInto('name_validations')
        .values({
          service_id: generation.serviceId,
          name: v.name,
          method: v.method,
          validated_at: new Date(v.validatedAt).toISOString(),
          ca_order_id: issued.caOrderId,
        })
        .onConflict((oc) =>
          oc.columns(['service_id', 'name']).doUpdateSet({
            method: v.method,
            validated_at: new Date(v.validatedAt).toISOString(),
            ca_order_id: issued.caOrderId,
          }),
        )
        .execute();
    }
    if (issued.validations.length === 0 && generation.kind === 'reissue') {
      await recordFreshValidations(k, generation, new Date(facts.notBefore));
    }
    await recordCertificateIssued(trx, { generationId: generation.id, now: ctx.clock.now() });
  });
  reportStep(ctx, 'certificate-recorded', generation.id);
}

/**
 * A reissue answer carries no validations (the CA reuses the target order's), yet a CA issues only
 * on a validation it may still reuse: a name whose record was too old on the issue day was
 * validated afresh for this certificate, so its record moves to the issue instant.
 */
async function recordFreshValidations(
  k: ReturnType<typeof lifecycleKysely>,
  generation: Generation,
  issuedAt: Date,
): Promise<void> {
  const reuseMs = limitsOn(issuedAt).dcvReuseDays * DAY_MS;
  const rows = await k
    .selectFrom('name_validations')
    .select(['name', 'validated_at'])
    .where('service_id', '=', generation.serviceId)
    .execute();
  for (const row of rows) {
    if (new Date(row.validated_at).getTime() + reuseMs >= issuedAt.getTime()) continue;
    await k
      .updateTable('name_validations')
      .set({
        validated_at: issuedAt.toISOString(),
        ca_order_id: generation.caOrderId,
        ...(generation.dcvMethod ? { method: generation.dcvMethod } : {}),
      })
      .where('service_id', '=', generation.serviceId)
      .where('name', '=', row.name)
      .execute();
  }
}

/**
 * The steps after an issue, each safe to repeat (a crash may stop between them): the paid period
 * starts at the first certificate's notBefore; the reissue trigger is planned from the real
 * notAfter and paid_until; earlier certificates are superseded; the service becomes active.
 */
async function finishIssue(ctx: LifecycleContext, generation: Generation): Promise<PollCaOrderResult> {
  const notBefore = new Date(generation.notBefore ?? generation.issuedAt ?? ctx.clock.now().toISOString());
  const notAfter = new Date(generation.notAfter ?? notBefore.toISOString());
  let service = await getService(ctx.db.kysely, generation.serviceId);
  if (service.firstIssuedAt === null) {
    service = await startPaidPeriod({ db: ctx.db, clock: ctx.clock }, service.id, notBefore);
    reportStep(ctx, 'paid-period-started', generation.id);
  }
  const settings = await readSslProductSettings(ctx);
  const paidUntil = service.paidUntil ? new Date(service.paidUntil) : null;
  // The CA may end the last certificate a second short of paid until (its term counts in months).
  const last = paidUntil !== null && paidUntil.getTime() - notAfter.getTime() <= LAST_CERTIFICATE_SLACK_MS;
  const reissueAt =
    settings.subscription.policy.value === 'none' || paidUntil === null || last
      ? null
      : computeReissueTrigger({
          issuedAt: notBefore,
          notAfter,
          beforeDays: settings.subscription.before.value,
          paidUntil,
        });
  const dcvNeededFrom = reissueAt ? await planFreshValidation(ctx, generation.serviceId, reissueAt) : null;
  const now = ctx.clock.now().toISOString();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    await k
      .updateTable('certificate_generations')
      .set({
        reissue_at: reissueAt?.toISOString() ?? null,
        dcv_needed_from: dcvNeededFrom?.toISOString() ?? null,
        updated_at: now,
      })
      .where('id', '=', generation.id)
      .where('state', '=', 'issued')
      .execute();
    await k
      .updateTable('certificate_generations')
      .set({ state: 'superseded', reissue_at: null, dcv_needed_from: null, updated_at: now })
      .where('service_id', '=', generation.serviceId)
      .where('seq', '<', generation.seq)
      .where('state', '=', 'issued')
      .execute();
    await k
      .updateTable('services')
      .set({ status: 'active', updated_at: now })
      .where('id', '=', generation.serviceId)
      .where('status', 'in', ['ordered', 'in_progress'])
      .execute();
  });
  reportStep(ctx, 'service-activated', generation.id);
  return { outcome: 'issued', notAfter: notAfter.toISOString(), reissueAt: reissueAt?.toISOString() ?? null };
}

/**
 * When fresh validation must start for the next certificate: if any name's last validation is
 * older than the reuse period in force on the reissue day, some days before that day; else null.
 */
async function planFreshValidation(
  ctx: LifecycleContext,
  serviceId: number,
  reissueAt: Date,
): Promise<Date | null> {
  const rows = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('name_validations')
    .select('validated_at')
    .where('service_id', '=', serviceId)
    .execute();
  if (rows.length === 0) return null;
  const oldest = Math.min(...rows.map((r) => new Date(r.validated_at).getTime()));
  const reuseDays = limitsOn(reissueAt).dcvReuseDays;
  if (oldest + reuseDays * DAY_MS > reissueAt.getTime()) return null;
  const leadDays = ctx.config.sslValidationLeadDays;
  return new Date(Math.max(ctx.clock.now().getTime(), reissueAt.getTime() - leadDays * DAY_MS));
}
