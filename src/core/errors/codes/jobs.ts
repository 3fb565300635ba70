import type { ErrorEntry } from '../catalogue.ts';

export const JOBS_ERRORS = {
  JOBS_NOT_FOUND: { kind: 'not_found', doc: 'No job has this id; `certbill jobs list` shows the jobs.' },
  JOBS_NOT_RETRYABLE: {
    kind: 'conflict',
    doc: 'Only a dead job can be retried; the job is ready, running or done, so there is nothing to do.',
  },
  JOBS_NO_HANDLER: {
    kind: 'config',
    doc: 'A due job has a kind no handler is registered for (e.g. an older instance); it stays ready until an instance that knows the kind runs it.',
  },
  JOBS_LEASE_EXPIRED: {
    kind: 'internal',
    doc: "A job's last attempt did not finish before its lease ran out (the worker crashed or hung); after the last attempt the job is dead and a task is open.",
  },
  JOBS_TASK_NOT_FOUND: {
    kind: 'not_found',
    doc: 'No task has this id; `certbill task list` shows the tasks.',
  },
} as const satisfies Record<string, ErrorEntry>;
