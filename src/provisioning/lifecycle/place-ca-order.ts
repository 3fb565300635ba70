import { getService, type Service } from '../../billing/service-repository.ts';
import type { AppError } from '../../core/errors/index.ts';
import { isAppError } from '../../core/errors/index.ts';
import { enqueueJob } from '../../jobs/job-queue.ts';
import { closeTask, openTask } from '../../jobs/open-task.ts';
import { checkCsr } from '../keys/check-csr.ts';
import { generateKeyAndCsr } from '../keys/generate-key-and-csr.ts';
import type { ModuleRow } from '../module-repository.ts';
import { moduleSettingsOf, openProcessingModule } from '../open-processing-module.ts';
import type {
  Contact,
  DcvChoice,
  OrderOutcome,
  PlacedOrder,
  PlaceOrderInput,
  ProcessingModule,
  ProductFamily,
} from '../processing-module.ts';
import { isProviderError, ProviderError } from '../provider-error.ts';
import { getGeneration, privateKeyAad, type Generation } from './generation-repository.ts';
import { holdTaskKey, POLL_ORDER_JOB, type PollOrderPayload } from './job-kinds.ts';
import { lifecycleKysely, reportStep, type LifecycleContext } from './lifecycle-context.ts';
import { listModuleCandidates, whyModuleCannotOrder, type SkippedModule } from './select-module.ts';
import { failGeneration } from './service-failure.ts';
import { recordValidationRequired } from '../../notifications/record-certificate-event.ts';

/** What one run of `placeCaOrder` did. */
export type PlaceCaOrderResult =
  | {
      readonly outcome: 'placed';
      readonly caOrderId: string;
      readonly moduleId: number;
      readonly adopted: boolean;
    }
  | { readonly outcome: 'held'; readonly runAgainAt: Date; readonly skipped: readonly SkippedModule[] }
  | { readonly outcome: 'failed'; readonly message: string }
  | { readonly outcome: 'nothing-to-do'; readonly state: string };

/** Codes of certbill's own checks that mean the client's data must change. */
const CLIENT_DATA_CODES = new Set<string>([
  'PROVISIONING_CSR_UNREADABLE',
  'PROVISIONING_CSR_BAD_SIGNATURE',
  'PROVISIONING_CSR_CN_MISMATCH',
  'PROVISIONING_CSR_WEAK_KEY',
  'PROVISIONING_INVALID_ORDER',
  'PROVISIONING_FEATURE_UNSUPPORTED',
]);

function isClientDataError(e: unknown): e is AppError {
  if (isProviderError(e)) return e.party === 'client-data';
  return isAppError(e) && CLIENT_DATA_CODES.has(e.code);
}

const HOLD_BASE_MS = 60_000;
const HOLD_MAX_MS = 3_600_000;

/**
 * Places the CA order of a generation in state `intent`, exactly once: the key and CSR are made (or
 * the client's CSR checked) and stored first; the module is pinned and, for DV e-mail, the order id
 * the CA reserves is stored before the order; after the CA answers, the order id and the state are
 * recorded in one transaction together with the `poll-order` job. When an earlier attempt may have
 * reached the CA, the order is looked up there and adopted before anything is sent again. Modules
 * are tried by Sort; one that cannot take the order is skipped (disabled, unreachable, login or IP
 * refused, under its minimal balance); when none can, the order is held with a task and the job
 * tries again later. Data the CA refuses fails the service with a task.
 * @example await placeCaOrder(ctx, 3) → { outcome: 'placed', caOrderId: 'CESM2604020001', moduleId: 1, adopted: false }
 */
export async function placeCaOrder(ctx: LifecycleContext, generationId: number): Promise<PlaceCaOrderResult> {
  let generation = await getGeneration(ctx.db.kysely, generationId);
  if (generation.state !== 'intent') {
    if (generation.caOrderId) await enqueuePoll(ctx, generation.id);
    return { outcome: 'nothing-to-do', state: generation.state };
  }
  const service = await getService(ctx.db.kysely, generation.serviceId);
  if (service.status === 'cancelled') {
    await lifecycleKysely(ctx.db.kysely)
      .updateTable('certificate_generations')
      .set({
        state: 'failed',
        last_error: 'The service was cancelled before its order was placed.',
        updated_at: now(ctx),
      })
      .where('id', '=', generation.id)
      .where('state', '=', 'intent')
      .execute();
    return { outcome: 'nothing-to-do', state: 'cancelled' };
  }
  const candidates = await listModuleCandidates(ctx, service.tariffId);
  try {
    generation = await ensureCsr(ctx, generation, service);
  } catch (e) {
    if (!isClientDataError(e)) throw e;
    return fail(ctx, generation, service, candidates[0] ?? null, e);
  }

  const pinned =
    generation.moduleId === null ? undefined : candidates.find((c) => Number(c.id) === generation.moduleId);
  const ordered = pinned ? [pinned, ...candidates.filter((c) => c !== pinned)] : candidates;
  const skipped: SkippedModule[] = [];
  for (const row of ordered) {
    const moduleId = Number(row.id);
    const mayHavePlaced = generation.moduleId === moduleId && generation.placeStartedAt !== null;
    if (!mayHavePlaced) {
      const why = await whyModuleCannotOrder(ctx, row);
      if (why) {
        skipped.push({ moduleId, name: row.name, reason: why });
        continue;
      }
    }
    const module = await openProcessingModule(ctx, moduleId);
    try {
      if (mayHavePlaced) {
        // Any failure here retries the job: the order may exist on this module, so no failover.
        const adopted = await reconcile(ctx, generation, service, row, module);
        if (adopted) return await recordPlacement(ctx, generation, service, moduleId, adopted, true);
      }
    } catch (e) {
      module.close();
      throw e;
    }
    try {
      if (!mayHavePlaced) generation = await pinModule(ctx, generation, moduleId);
      const placed = await placeOnModule(ctx, generation, service, module);
      reportStep(ctx, 'ca-answered', generation.id);
      return await recordPlacement(ctx, generation, service, moduleId, placed, placed.alreadyPlaced);
    } catch (e) {
      if (isClientDataError(e)) return fail(ctx, generation, service, row, e);
      // The CA may have acted: the next attempt looks the order up on this module before anything else.
      if (!isProviderError(e) || e.outcomeUnknown) throw e;
      skipped.push({ moduleId, name: row.name, reason: `${e.code}: ${e.message}` });
      generation = await unpinModule(ctx, generation);
    } finally {
      module.close();
    }
  }
  return hold(ctx, generation, service, candidates, skipped);
}

function now(ctx: LifecycleContext): string {
  return ctx.clock.now().toISOString();
}

async function ensureCsr(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
): Promise<Generation> {
  if (generation.csr) return generation;
  let csr: string;
  let sealed: string | null = null;
  if (service.provisioning.csr) {
    csr = (await checkCsr({ csrPem: service.provisioning.csr, commonName: service.commonName })).csrPem;
  } else {
    const made = await generateKeyAndCsr({
      commonName: service.commonName,
      sans: service.names.map((n) => n.name),
    });
    csr = made.csrPem;
    sealed = ctx.secrets.seal(made.privateKeyPem, privateKeyAad(generation.id));
  }
  // Conditional, so a second worker's key never replaces the first one's.
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ csr, private_key_sealed: sealed, updated_at: now(ctx) })
    .where('id', '=', generation.id)
    .where('csr', 'is', null)
    .execute();
  reportStep(ctx, 'key-stored', generation.id);
  return getGeneration(ctx.db.kysely, generation.id);
}

async function pinModule(
  ctx: LifecycleContext,
  generation: Generation,
  moduleId: number,
): Promise<Generation> {
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ module_id: moduleId, place_started_at: now(ctx), reserved_order_id: null, updated_at: now(ctx) })
    .where('id', '=', generation.id)
    .where('state', '=', 'intent')
    .execute();
  reportStep(ctx, 'module-pinned', generation.id);
  return getGeneration(ctx.db.kysely, generation.id);
}

async function unpinModule(ctx: LifecycleContext, generation: Generation): Promise<Generation> {
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ module_id: null, place_started_at: null, reserved_order_id: null, updated_at: now(ctx) })
    .where('id', '=', generation.id)
    .where('state', '=', 'intent')
    .execute();
  return getGeneration(ctx.db.kysely, generation.id);
}

function familyOf(service: Service): ProductFamily {
  return service.product;
}

function dcvOf(service: Service, generation: Generation): DcvChoice | undefined {
  const dcv = service.provisioning.dcv;
  if (!dcv || service.product === 'OV' || service.product === 'EV') return undefined;
  if (dcv.method !== 'email') return { method: dcv.method };
  return {
    method: 'email',
    ...(dcv.email ? { approverEmail: dcv.email } : {}),
    ...(generation.reservedOrderId ? { reservedOrderId: generation.reservedOrderId } : {}),
  };
}

async function contactOf(ctx: LifecycleContext, service: Service): Promise<Contact> {
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('client_users')
    .innerJoin('clients', 'clients.id', 'client_users.client_id')
    .select(['client_users.name', 'client_users.email', 'clients.name as client_name'])
    .where('client_users.client_id', '=', service.clientId)
    .orderBy('client_users.id')
    .executeTakeFirst();
  const words = (row?.name || row?.client_name || 'Certificate Holder').trim().split(/\s+/);
  return {
    firstName: words[0] ?? 'Certificate',
    lastName: words.slice(1).join(' ') || (words[0] ?? 'Holder'),
    phone: ctx.lifecycle?.contactPhone ?? '+1 000 000 0000',
    email: row?.email ?? `hostmaster@${service.commonName.replace(/^\*\./, '')}`,
  };
}

async function orderInput(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
): Promise<PlaceOrderInput> {
  const dcv = dcvOf(service, generation);
  const renewalOf =
    service.previousServiceId === null ? undefined : await previousCaOrder(ctx, service.previousServiceId);
  return {
    product: familyOf(service),
    commonName: service.commonName,
    sans: service.names.map((n) => n.name),
    csr: generation.csr ?? '',
    months: service.years * 12,
    ...(dcv ? { dcv } : {}),
    ...(renewalOf ? { renewalOf } : {}),
    contact: await contactOf(ctx, service),
    ...(service.provisioning.organization ?? {}),
  };
}

async function previousCaOrder(ctx: LifecycleContext, serviceId: number): Promise<string | undefined> {
  const row = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('certificate_generations')
    .select('ca_order_id')
    .where('service_id', '=', serviceId)
    .where('state', 'in', ['issued', 'expired'])
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row?.ca_order_id ?? undefined;
}

async function placeOnModule(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  module: ProcessingModule,
): Promise<PlacedOrder> {
  let current = generation;
  const dcv = dcvOf(service, current);
  if (dcv?.method === 'email' && !current.reservedOrderId) {
    const prepared = await module.prepareOrder({
      product: familyOf(service),
      commonName: service.commonName,
      sans: service.names.map((n) => n.name),
    });
    await lifecycleKysely(ctx.db.kysely)
      .updateTable('certificate_generations')
      .set({ reserved_order_id: prepared.reservedOrderId, updated_at: now(ctx) })
      .where('id', '=', current.id)
      .where('reserved_order_id', 'is', null)
      .execute();
    reportStep(ctx, 'order-reserved', current.id);
    current = await getGeneration(ctx.db.kysely, current.id);
  }
  return module.placeOrder(await orderInput(ctx, current, service));
}

/**
 * Finds the order an earlier attempt placed on this module. A DV e-mail order has its reserved id:
 * placing again with it is safe (the CA answers "already placed"), so that is left to the caller.
 * Other orders are searched by name in the window since the attempt, skipping orders another
 * generation holds.
 */
async function reconcile(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  row: ModuleRow,
  module: ProcessingModule,
): Promise<PlacedOrder | null> {
  if (generation.reservedOrderId) return null;
  const factory = ctx.lifecycle?.orderSearches?.get(row.kind);
  if (!factory || !generation.placeStartedAt) {
    ctx.log.write(
      'warning',
      'lifecycle',
      `generation ${generation.id}: no order search for module kind ${row.kind}; placing again may order twice`,
    );
    return null;
  }
  const kind = ctx.modules.get(row.kind);
  const search = factory(moduleSettingsOf(ctx, row), { clock: ctx.clock, logger: ctx.logger(kind.logName) });
  const started = new Date(generation.placeStartedAt);
  const day = 86_400_000;
  let found;
  try {
    found = await search.findOrders({
      commonName: service.commonName,
      from: new Date(started.getTime() - day),
      to: new Date(ctx.clock.now().getTime() + day),
    });
  } finally {
    search.close();
  }
  if (found.length === 0) return null;
  const held = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('certificate_generations')
    .select('ca_order_id')
    .where(
      'ca_order_id',
      'in',
      found.map((f) => f.caOrderId),
    )
    .execute();
  const taken = new Set(held.map((h) => h.ca_order_id));
  const free = found.filter((f) => !taken.has(f.caOrderId));
  const pick = free.at(0);
  if (!pick) return null;
  const outcome: OrderOutcome = await module.fetchOrder({ caOrderId: pick.caOrderId });
  return { caOrderId: pick.caOrderId, alreadyPlaced: true, outcome, warnings: [] };
}

function stateOf(outcome: OrderOutcome): 'ordered' | 'awaiting_validation' {
  return outcome.status === 'pending' && outcome.validation ? 'awaiting_validation' : 'ordered';
}

async function recordPlacement(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  moduleId: number,
  placed: PlacedOrder,
  adopted: boolean,
): Promise<PlaceCaOrderResult> {
  const at = now(ctx);
  const validation = placed.outcome.status === 'pending' ? (placed.outcome.validation ?? null) : null;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const k = lifecycleKysely(trx);
    const updated = await k
      .updateTable('certificate_generations')
      .set({
        ca_order_id: placed.caOrderId,
        module_id: moduleId,
        state: stateOf(placed.outcome),
        validation: validation ? JSON.stringify(validation) : null,
        dcv_method: validation?.method ?? service.provisioning.dcv?.method ?? null,
        approver_email: validation?.method === 'email' ? (validation.approverEmail ?? null) : null,
        placed_at: at,
        hold_count: 0,
        last_error: null,
        updated_at: at,
      })
      .where('id', '=', generation.id)
      .where('state', '=', 'intent')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    await k
      .updateTable('services')
      .set({ status: 'in_progress', updated_at: at })
      .where('id', '=', service.id)
      .where('status', '=', 'ordered')
      .execute();
    if (generation.kind !== 'reissue') {
      await recordValidationRequired(trx, { generationId: generation.id, validation, now: ctx.clock.now() });
    }
    const payload: PollOrderPayload = { generationId: generation.id };
    await enqueueJob(
      ctx.db,
      {
        kind: POLL_ORDER_JOB,
        key: `${POLL_ORDER_JOB}:${generation.id}`,
        payload,
        runAt: ctx.clock.now(),
        now: ctx.clock.now(),
      },
      trx,
    );
  });
  reportStep(ctx, 'order-recorded', generation.id);
  await closeHoldTask(ctx, service.id);
  return { outcome: 'placed', caOrderId: placed.caOrderId, moduleId, adopted };
}

async function enqueuePoll(ctx: LifecycleContext, generationId: number): Promise<void> {
  const payload: PollOrderPayload = { generationId };
  await enqueueJob(ctx.db, {
    kind: POLL_ORDER_JOB,
    key: `${POLL_ORDER_JOB}:${generationId}`,
    payload,
    runAt: ctx.clock.now(),
    now: ctx.clock.now(),
  });
}

async function closeHoldTask(ctx: LifecycleContext, serviceId: number): Promise<void> {
  const open = await lifecycleKysely(ctx.db.kysely)
    .selectFrom('tasks')
    .select('id')
    .where('dedupe_key', '=', holdTaskKey(serviceId))
    .where('state', '=', 'open')
    .execute();
  for (const task of open) await closeTask(ctx.db, Number(task.id), { now: ctx.clock.now() });
}

async function hold(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  candidates: readonly ModuleRow[],
  skipped: readonly SkippedModule[],
): Promise<PlaceCaOrderResult> {
  const delay = Math.min(HOLD_MAX_MS, HOLD_BASE_MS * 2 ** Math.min(generation.holdCount, 10));
  const runAgainAt = new Date(ctx.clock.now().getTime() + delay);
  const reasons = skipped.length
    ? skipped.map((s) => `module ${s.moduleId} (${s.name}): ${s.reason}`).join('; ')
    : 'the tariff has no processing module';
  const message = `No processing module can take the order of service ${service.id} (${service.commonName}) now: ${reasons}. It waits and is tried again by itself at ${runAgainAt.toISOString()}.`;
  await lifecycleKysely(ctx.db.kysely)
    .updateTable('certificate_generations')
    .set({ hold_count: generation.holdCount + 1, last_error: message, updated_at: now(ctx) })
    .where('id', '=', generation.id)
    .execute();
  await openTask(ctx.db, {
    kind: 'order-held',
    title: `Order of ${service.commonName} (service ${service.id}) waits for a processing module`,
    body: message,
    related: `service:${service.id}`,
    dedupeKey: holdTaskKey(service.id),
    departmentId: candidates[0]?.department_id ?? null,
    now: ctx.clock.now(),
  });
  return { outcome: 'held', runAgainAt, skipped };
}

async function fail(
  ctx: LifecycleContext,
  generation: Generation,
  service: Service,
  row: ModuleRow | null,
  e: AppError,
): Promise<PlaceCaOrderResult> {
  const cause = e instanceof ProviderError && e.caCodes.length ? ` (CA codes ${e.caCodes.join(', ')})` : '';
  const message = `The order of ${service.commonName} (service ${service.id}) was refused: ${e.message}${cause}. The client must fix this and order again.`;
  await failGeneration(ctx, {
    generationId: generation.id,
    serviceId: service.id,
    departmentId: row?.department_id ?? null,
    title: `Certificate order for ${service.commonName} (service ${service.id}) refused`,
    message,
  });
  return { outcome: 'failed', message };
}
