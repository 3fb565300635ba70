/** The job that fetches a placed CA order until it is issued or rejected: `poll-order:<generation id>`. */
export const POLL_ORDER_JOB = 'poll-order';

export interface PollOrderPayload {
  readonly generationId: number;
}

/** The periodic job that records intents for paid services that have none. */
export const SWEEP_ORDERED_JOB = 'lifecycle-sweep';

/** The open task of a service whose order no module can take now. */
export function holdTaskKey(serviceId: number): string {
  return `lifecycle-hold:service:${serviceId}`;
}
