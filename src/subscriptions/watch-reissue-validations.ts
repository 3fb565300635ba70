import { sql, type Kysely } from 'kysely';
import { getService, type Service } from '../billing/service-repository.ts';
import { openTask } from '../jobs/open-task.ts';
import { listGenerations, type Generation } from '../provisioning/lifecycle/generation-repository.ts';
import type { LifecycleContext } from '../provisioning/lifecycle/lifecycle-context.ts';
import { departmentOfModule } from '../provisioning/lifecycle/poll-ca-order.ts';
import { chainInstructions, namesNeedingValidation, validationNoticeVariables } from './place-reissue.ts';
import type { ValidationInstructions } from '../provisioning/processing-module.ts';
import { recordClientNotification, type ClientNotificationInput } from './record-client-notification.ts';
import { subscriptionsKysely, type SubscriptionSchema } from './subscriptions-kysely.ts';

/**
 * A reissue still waiting for validation when the certificate in use has this little left is at
 * risk: the Department gets a task and the client an urgent notice, once per generation.
 */
export const REISSUE_VALIDATION_AT_RISK_DAYS = 3;

const DAY_MS = 86_400_000;

/** What one watch did, by service id. */
export interface WatchReissueValidationsResult {
  /** A pending reissue whose validation notice (with instructions) was recorded by this run. */
  readonly told: number[];
  /** At risk: the task and the urgent notice were recorded by this run. */
  readonly atRisk: number[];
}

/**
 * Watches the reissues that wait at the CA (state `ordered` or `awaiting_validation`). The poll job
 * asks the CA to check their HTTP file or DNS record again, with backoff, until it passes; this
 * watch makes sure the client was told what to do (a CA that wants validation certbill did not
 * foresee gets the chain's instructions and the notice too), and when the certificate in use ends
 * within `REISSUE_VALIDATION_AT_RISK_DAYS` opens a task for the Department of the module and
 * records an urgent `certificate-validation-required` notice, both once per generation (the
 * notice's dedupe key decides, in the task's transaction).
 * @example await watchReissueValidations(ctx) → { told: [], atRisk: [7] }
 */
export async function watchReissueValidations(ctx: LifecycleContext): Promise<WatchReissueValidationsResult> {
  const now = ctx.clock.now();
  const result: WatchReissueValidationsResult = { told: [], atRisk: [] };
  // Literal states, so the planner can use the partial index of pending generations.
  const pending = await subscriptionsKysely(ctx.db.kysely)
    .selectFrom('certificate_generations')
    .select(['id', 'service_id'])
    .where(sql<boolean>`state in ('ordered', 'awaiting_validation')`)
    .where('kind', '=', 'reissue')
    .where('ca_order_id', 'is not', null)
    .orderBy('id')
    .execute();
  for (const row of pending) {
    const generations = await listGenerations(ctx.db.kysely, Number(row.service_id));
    const generation = generations.find((g) => g.id === Number(row.id));
    const current = generations.filter((g) => g.state === 'issued').at(-1);
    if (!generation || !current) continue;
    const waitsForClient = generation.state === 'awaiting_validation' || generation.lastError !== null;
    if (waitsForClient && (await tellClient(ctx, generation, current))) {
      result.told.push(generation.serviceId);
    }
    const left = current.notAfter ? new Date(current.notAfter).getTime() - now.getTime() : Infinity;
    if (left <= REISSUE_VALIDATION_AT_RISK_DAYS * DAY_MS && (await raiseAtRisk(ctx, generation, current))) {
      result.atRisk.push(generation.serviceId);
    }
  }
  return result;
}

interface Notice {
  readonly generation: Generation;
  readonly service: Service;
  /** The chain's instructions, to show when the CA sent none. */
  readonly fill: ValidationInstructions | null;
  readonly input: ClientNotificationInput;
}

/** Everything the notice needs, read before the transaction that records it. */
async function prepareNotice(
  ctx: LifecycleContext,
  generation: Generation,
  current: Generation,
  urgent: boolean,
): Promise<Notice> {
  const service = await getService(ctx.db.kysely, generation.serviceId);
  const fill = generation.validation ? null : await chainInstructions(ctx, service.id, current);
  const names = await namesNeedingValidation(ctx, service, ctx.clock.now());
  return {
    generation,
    service,
    fill,
    input: {
      clientId: service.clientId,
      serviceId: service.id,
      generationId: generation.id,
      template: 'certificate-validation-required',
      variables: validationNoticeVariables(
        service,
        current,
        { caOrderId: generation.caOrderId, instructions: generation.validation ?? fill },
        names.length ? names : service.names.map((n) => n.name),
        urgent,
      ),
      now: ctx.clock.now(),
      ...(urgent ? { dedupeKey: `certificate-validation-required:urgent:generation:${generation.id}` } : {}),
    },
  };
}

/** Records the notice once (true the first time); shows the chain's instructions when the CA sent none. */
async function recordNotice(k: Kysely<SubscriptionSchema>, notice: Notice, now: Date): Promise<boolean> {
  if (notice.fill) {
    await k
      .updateTable('certificate_generations')
      .set({
        state: 'awaiting_validation',
        validation: JSON.stringify(notice.fill),
        updated_at: now.toISOString(),
      })
      .where('id', '=', notice.generation.id)
      .where(sql<boolean>`state in ('ordered', 'awaiting_validation')`)
      .execute();
  }
  return recordClientNotification(k, notice.input);
}

async function tellClient(
  ctx: LifecycleContext,
  generation: Generation,
  current: Generation,
): Promise<boolean> {
  const notice = await prepareNotice(ctx, generation, current, false);
  return recordNotice(subscriptionsKysely(ctx.db.kysely), notice, ctx.clock.now());
}

async function raiseAtRisk(
  ctx: LifecycleContext,
  generation: Generation,
  current: Generation,
): Promise<boolean> {
  const department = await departmentOfModule(ctx, generation.moduleId ?? current.moduleId);
  const notice = await prepareNotice(ctx, generation, current, true);
  const { service } = notice;
  const expires = current.notAfter ?? 'unknown';
  const method = (generation.validation ?? notice.fill)?.method ?? generation.dcvMethod ?? 'unknown method';
  return ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await recordNotice(subscriptionsKysely(trx), notice, ctx.clock.now()))) return false;
    await openTask(
      ctx.db,
      {
        kind: 'reissue-validation-at-risk',
        title: `${service.commonName} (service ${service.id}) still not validated; its certificate expires ${expires}`,
        body:
          `The reissue ${generation.caOrderId ?? ''} of ${service.commonName} waits for domain validation ` +
          `(${method}), and the certificate in use (${current.caOrderId ?? ''}) expires ${expires}. ` +
          `The client was sent an urgent notice; contact them, or check the validation with ` +
          `'certbill service dcv ${service.id} --check'.`,
        related: `service:${service.id}`,
        dedupeKey: `reissue-validation-at-risk:generation:${generation.id}`,
        departmentId: department,
        now: ctx.clock.now(),
      },
      trx as never,
    );
    return true;
  });
}
