export const FAULT_KINDS = ['http500', 'http503', 'soapfault', 'reset', 'truncate', 'latency'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault for upcoming SOAP calls: the next `count` calls, or each call with probability `ratio`
 * (count 1 when neither is given). `phase: "after"` runs the operation first and then fails the
 * answer (the call took effect but the client cannot know); `truncate` is always after, `latency`
 * adds `ms` and then answers normally.
 *
 * @example { kind: 'reset', count: 1, phase: 'after' }
 */
export interface FaultRule {
  kind: FaultKind;
  count?: number;
  ratio?: number;
  ms?: number;
  phase?: 'before' | 'after';
}

export interface DrawnFaults {
  latencyMs: number;
  fault?: FaultRule;
}

export class FaultInjector {
  private rules: FaultRule[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  add(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind))
      throw new RangeError(`kind must be one of ${FAULT_KINDS.join(', ')}`);
    if (rule.ratio !== undefined && !(rule.ratio >= 0 && rule.ratio <= 1))
      throw new RangeError('ratio must be 0..1');
    if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) {
      throw new RangeError('count must be a positive integer');
    }
    this.rules.push({ ...rule, count: rule.count ?? (rule.ratio === undefined ? 1 : undefined) });
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  clear(): void {
    this.rules = [];
  }

  /** The faults that hit the call being answered now (consumes counted rules). */
  draw(): DrawnFaults {
    const out: DrawnFaults = { latencyMs: 0 };
    if (this.rules.length === 0) return out;
    for (const rule of [...this.rules]) {
      const hit = rule.count !== undefined ? true : this.random() < (rule.ratio ?? 0);
      if (!hit) continue;
      if (rule.kind === 'latency') out.latencyMs += rule.ms ?? 1000;
      else if (out.fault) continue;
      else out.fault = rule;
      if (rule.count !== undefined && --rule.count <= 0) this.rules.splice(this.rules.indexOf(rule), 1);
    }
    return out;
  }
}
