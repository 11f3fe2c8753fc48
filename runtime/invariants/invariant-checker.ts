// Invariant checking, separate from the system it judges: invariants are data (metric,
// statistic, operator, threshold, severity, window); the checker evaluates them against the
// metric book every interval and at the end, and keeps violations as episodes (first and last
// sim time a gate failed, worst observed value).
import type { InvariantSpec } from '../scenario/scenario-schema.js';
import type { MetricBook } from '../metrics/metric-book.js';

export interface Violation {
  invariantId: string;
  severity: 'critical' | 'warning';
  metric: string;
  statistic: string;
  operator: string;
  threshold: number;
  observed: number;
  fromSimMs: number;
  toSimMs: number;
}

export type Verdict = 'pass' | 'fail' | 'n/a';

export interface InvariantVerdict {
  id: string;
  severity: 'critical' | 'warning';
  description: string | undefined;
  verdict: Verdict;
  observed: number | undefined;
  operator: string;
  threshold: number;
}

export interface CheckerSnapshot {
  violations: Violation[];
  open: Record<string, number>;
}

const HOLDS: Record<InvariantSpec['operator'], (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

export class InvariantChecker {
  private violations: Violation[] = [];
  /** Invariant id -> index of its open episode in `violations`. */
  private open = new Map<string, number>();
  private lastObserved = new Map<string, number>();

  constructor(
    private readonly specs: readonly InvariantSpec[],
    private readonly book: MetricBook,
    /** Invariants that cannot be judged in this run (e.g. wall-clock drift in turbo). */
    private readonly notApplicable: ReadonlySet<string> = new Set(),
  ) {}

  observe(spec: InvariantSpec): number | undefined {
    const windowMs = spec.windowMin === undefined ? undefined : spec.windowMin * 60_000;
    if (spec.minCount !== undefined) {
      const n = spec.over !== undefined ? this.book.stat(spec.over, spec.statistic, windowMs) : this.book.stat(spec.metric, 'count', windowMs);
      if (n === undefined || n < spec.minCount) return undefined;
    }
    const value = this.book.stat(spec.metric, spec.statistic, windowMs);
    if (spec.over === undefined) return value;
    const denominator = this.book.stat(spec.over, spec.statistic, windowMs);
    if (!denominator) return undefined;
    // No numerator yet (no errors counted) is a rate of zero, not missing data.
    return (value ?? 0) / denominator;
  }

  /** Evaluate at sim time `simMs`; returns violations that opened now (for alerts and fail-fast). */
  evaluate(simMs: number, endOfRun: boolean): Violation[] {
    const opened: Violation[] = [];
    for (const spec of this.specs) {
      if (this.notApplicable.has(spec.id)) continue;
      if (spec.endOfRunOnly && !endOfRun) continue;
      const observed = this.observe(spec);
      if (observed === undefined) continue;
      this.lastObserved.set(spec.id, observed);
      const openIndex = this.open.get(spec.id);
      if (HOLDS[spec.operator](observed, spec.threshold)) {
        this.open.delete(spec.id);
        continue;
      }
      if (openIndex !== undefined) {
        const v = this.violations[openIndex];
        v.toSimMs = simMs;
        if (worse(spec.operator, observed, v.observed)) v.observed = observed;
        continue;
      }
      const v: Violation = {
        invariantId: spec.id,
        severity: spec.severity,
        metric: spec.over ? `${spec.metric}/${spec.over}` : spec.metric,
        statistic: spec.statistic,
        operator: spec.operator,
        threshold: spec.threshold,
        observed,
        fromSimMs: simMs,
        toSimMs: simMs,
      };
      this.open.set(spec.id, this.violations.length);
      this.violations.push(v);
      opened.push(v);
    }
    return opened;
  }

  allViolations(): readonly Violation[] {
    return this.violations;
  }

  /** Pass, fail or n/a for every declared invariant, with the last observed value. */
  verdicts(): InvariantVerdict[] {
    return this.specs.map((spec) => {
      const failed = this.violations.some((v) => v.invariantId === spec.id);
      const observed = this.lastObserved.get(spec.id);
      const verdict: Verdict = this.notApplicable.has(spec.id) || observed === undefined ? 'n/a' : failed ? 'fail' : 'pass';
      return { id: spec.id, severity: spec.severity, description: spec.description, verdict, observed, operator: spec.operator, threshold: spec.threshold };
    });
  }

  hasCriticalViolation(): boolean {
    return this.violations.some((v) => v.severity === 'critical');
  }

  snapshot(): CheckerSnapshot {
    return { violations: structuredClone(this.violations), open: Object.fromEntries(this.open) };
  }

  restore(s: CheckerSnapshot): void {
    this.violations = structuredClone(s.violations);
    this.open = new Map(Object.entries(s.open));
  }
}

/** Is `a` further on the failing side than `b`? */
function worse(op: InvariantSpec['operator'], a: number, b: number): boolean {
  if (op === '<' || op === '<=') return a > b;
  if (op === '>' || op === '>=') return a < b;
  return Math.abs(a) > Math.abs(b);
}
