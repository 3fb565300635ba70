import type { AppContext } from '../app-context.ts';
import type { JobHandlers } from '../jobs/job-handlers.ts';
import { findGeneration, listGenerations } from '../provisioning/lifecycle/generation-repository.ts';
import { departmentOfModule } from '../provisioning/lifecycle/poll-ca-order.ts';
import {
  lifecycleContextOf,
  type LifecycleJobDeps,
} from '../provisioning/lifecycle/register-lifecycle-jobs.ts';
import { placeReissue } from './place-reissue.ts';
import { REISSUE_JOB, type ReissuePayload } from './record-reissue-intent.ts';
import { scanDueReissues } from './scan-due-reissues.ts';
import { watchReissueValidations } from './watch-reissue-validations.ts';

/** The periodic job that applies the reissue policy to due certificates. */
export const REISSUE_SCAN_JOB = 'reissue-scan';
/** The periodic job that watches reissues waiting for validation (notice, and the at-risk task). */
export const REISSUE_VALIDATION_WATCH_JOB = 'reissue-validation-watch';

export interface SubscriptionJobDeps extends LifecycleJobDeps {
  /** How often due triggers are looked for (default 5 min). */
  readonly scanIntervalMs?: number;
  /** Rows per page of the due scan (default 1000). */
  readonly scanPageSize?: number;
  /** How often reissues waiting for validation are watched (default 15 min). */
  readonly validationWatchIntervalMs?: number;
}

/**
 * Registers the subscription jobs: the periodic `reissue-scan` (every 5 minutes), the periodic
 * `reissue-validation-watch` (every 15 minutes) and `reissue:<service>:<seq>` (place one reissue
 * at the CA; the lifecycle's `poll-order` follows it to issue, re-checking validation). A reissue job that dies opens its task in the Department of the module of the
 * certificate being reissued. Register the lifecycle jobs too: the poll job is theirs.
 * @example registerSubscriptionJobs(registerLifecycleJobs(new JobHandlers(), deps), deps);
 */
export function registerSubscriptionJobs(handlers: JobHandlers, deps: SubscriptionJobDeps): JobHandlers {
  handlers.register<ReissuePayload>(
    REISSUE_JOB,
    async (job, app) => {
      await placeReissue(lifecycleContextOf(app, deps), job.payload.generationId);
    },
    {
      departmentOf: async (job, app: AppContext) => {
        const generation = await findGeneration(app.db.kysely, job.payload.generationId);
        const ctx = lifecycleContextOf(app, deps);
        const previous = generation ? await findCurrentModule(app, generation.serviceId) : null;
        return departmentOfModule(ctx, generation?.moduleId ?? previous);
      },
    },
  );
  handlers.register(REISSUE_SCAN_JOB, async (_job, app) => {
    await scanDueReissues(app, deps.scanPageSize === undefined ? {} : { pageSize: deps.scanPageSize });
  });
  handlers.every(REISSUE_SCAN_JOB, deps.scanIntervalMs ?? 5 * 60_000);
  handlers.register(REISSUE_VALIDATION_WATCH_JOB, async (_job, app) => {
    await watchReissueValidations(lifecycleContextOf(app, deps));
  });
  handlers.every(REISSUE_VALIDATION_WATCH_JOB, deps.validationWatchIntervalMs ?? 15 * 60_000);
  return handlers;
}

async function findCurrentModule(app: AppContext, serviceId: number): Promise<number | null> {
  const issued = (await listGenerations(app.db.kysely, serviceId)).filter((g) => g.state === 'issued').at(-1);
  return issued?.moduleId ?? null;
}
