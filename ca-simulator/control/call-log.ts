/** One SOAP call as `GET /_control/calls` reports it. */
export interface CallRecord {
  operation: string;
  /** Simulator-clock instant, ISO 8601 UTC. */
  at: string;
  /** null when a fault was injected before the call ran or the request was not a SOAP call. */
  successCode: number | null;
  errorCodes?: string[];
  orderId?: string;
  fqdn?: string;
  fault?: string;
}

/**
 * The most recent SOAP calls, oldest first, bounded so a long demo does not grow without end.
 *
 * @example log.add({ operation: 'DVOrder', at: '2026-04-02T12:00:00.000Z', successCode: 0 });
 */
export class CallLog {
  private records: CallRecord[] = [];

  constructor(private readonly limit = 10_000) {}

  add(record: CallRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }

  list(): CallRecord[] {
    return [...this.records];
  }

  clear(): void {
    this.records = [];
  }
}
