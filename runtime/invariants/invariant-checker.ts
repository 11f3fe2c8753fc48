// Invariant checking, separate from the system it judges: invariants are data (metric,
// statistic, operator, threshold, severity, window); the checker evaluates them against the
// metric book every interval and at the end, and keeps violations as episodes (first and last
// sim time a gate failed, worst observed value).
import { RUN_LIMITS } from '../limits.js';
import type { InvariantSpec, Scenario } from '../scenario/scenario-schema.js';
import type { MetricBook } from '../metrics/metric-book.js';
import { MIN_TREND_SPAN_MS } from '../metrics/gauge-trend.js';
import { ChaosJudgement, type ChaosEvent, type ChaosSnapshot, type Recovery } from './chaos-judgement.js';

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

/**
 * `not-evaluated`: the gate never had enough data to judge (a CI must not read that as a pass);
 * `n/a`: the gate cannot mean anything in this run (wall-clock drift in turbo).
 */
export type Verdict = 'pass' | 'fail' | 'not-evaluated' | 'n/a';

export interface InvariantVerdict {
  id: string;
  severity: 'critical' | 'warning';
  description: string | undefined;
  verdict: Verdict;
  /** The last evaluation's value. */
  observed: number | undefined;
  /** The worst value any evaluation saw, and when (the window ending then). */
  worst: { observed: number; atSimMs: number } | undefined;
  /** How many times the gate was judged. */
  evaluations: number;
  operator: string;
  threshold: number;
  /** Why a gate was not judged: too few samples, paced-only. */
  reason?: string;
  /** The scenario said this gate may go unjudged without failing the run. */
  optional?: boolean;
}

/** A gate never judged that fails the run all the same: critical and not optional. */
export function unjudgedFailsRun(g: Pick<InvariantVerdict, 'verdict' | 'severity' | 'optional'>): boolean {
  return g.verdict === 'not-evaluated' && g.severity === 'critical' && !g.optional;
}

export interface CheckerSnapshot {
  violations: Violation[];
  open: Record<string, number>;
  /** Absent in checkpoints written before gates kept their history. */
  judged?: Record<string, { last: number; worst: number; worstAtSimMs: number; count: number }>;
  /** Absent before chaos scenarios judged recovery. */
  chaos?: ChaosSnapshot;
  excused?: Record<string, number>;
  dropped?: Record<string, number>;
}

/** Violation episodes kept per gate; later ones are counted (`violationsDropped` in the summary). */
export const MAX_EPISODES_PER_GATE = RUN_LIMITS.maxEpisodesPerGate;
/** `open` marks a gate whose current episode was counted, not kept. */
const DROPPED_EPISODE = -1;

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
  private judged = new Map<string, { last: number; worst: number; worstAtSimMs: number; count: number }>();
  /** Evaluations a gate sat out because its window overlapped a storm (chaos scenarios). */
  private excused = new Map<string, number>();
  /** Episodes past MAX_EPISODES_PER_GATE, counted per gate. */
  private dropped = new Map<string, number>();
  private readonly chaos: ChaosJudgement | undefined;

  constructor(
    private readonly specs: readonly InvariantSpec[],
    private readonly book: MetricBook,
    /** Invariants that cannot be judged in this run (e.g. wall-clock drift in turbo). */
    private readonly notApplicable: ReadonlySet<string> = new Set(),
    chaos?: Scenario['chaos'],
  ) {
    this.chaos =
      chaos && new ChaosJudgement(chaos, specs, (spec, observed) => HOLDS[spec.operator](observed, spec.threshold));
  }

  /** A storm began (scenario or live event): gates are judged around it, and its recovery is timed. */
  chaosEvent(event: ChaosEvent): void {
    this.chaos?.add(event);
  }

  /** Time to recover after each storm (chaos scenarios with a recovery gate). */
  recoveries(): Recovery[] {
    return this.chaos?.recoveries() ?? [];
  }

  observe(
    spec: InvariantSpec,
    windowMs = spec.windowMin === undefined ? undefined : spec.windowMin * 60_000,
    minCount = spec.minCount,
  ): number | undefined {
    if (minCount !== undefined) {
      const n =
        spec.samples !== undefined
          ? this.book.stat(spec.samples, 'sum', windowMs)
          : spec.over !== undefined
            ? this.book.stat(spec.over, spec.statistic, windowMs)
            : this.book.stat(spec.metric, 'count', windowMs);
      if (n === undefined || n < minCount) return undefined;
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
      if (this.chaos?.excused(spec, simMs)) {
        this.excused.set(spec.id, (this.excused.get(spec.id) ?? 0) + 1);
        continue;
      }
      const observed = this.observe(spec);
      if (observed === undefined) continue;
      const seen = this.judged.get(spec.id);
      if (!seen) this.judged.set(spec.id, { last: observed, worst: observed, worstAtSimMs: simMs, count: 1 });
      else {
        seen.last = observed;
        seen.count++;
        if (worse(spec.operator, observed, seen.worst)) Object.assign(seen, { worst: observed, worstAtSimMs: simMs });
      }
      const openIndex = this.open.get(spec.id);
      if (HOLDS[spec.operator](observed, spec.threshold)) {
        this.open.delete(spec.id);
        continue;
      }
      if (openIndex === DROPPED_EPISODE) continue;
      if (openIndex !== undefined) {
        const v = this.violations[openIndex];
        v.toSimMs = simMs;
        if (worse(spec.operator, observed, v.observed)) v.observed = observed;
        continue;
      }
      if (this.episodesOf(spec.id) >= MAX_EPISODES_PER_GATE) {
        // A gate flapping for weeks would grow memory, checkpoints and summaries without bound:
        // past the cap its episodes are counted, not kept. The gate has failed either way.
        this.dropped.set(spec.id, (this.dropped.get(spec.id) ?? 0) + 1);
        this.open.set(spec.id, DROPPED_EPISODE);
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
    if (this.chaos) {
      const failed = this.chaos.evaluate(simMs, (spec, windowMs, minCount) => this.observe(spec, windowMs, minCount));
      this.violations.push(...failed);
      opened.push(...failed);
    }
    return opened;
  }

  allViolations(): readonly Violation[] {
    return this.violations;
  }

  /** Pass, fail or n/a for every declared invariant, with the last observed value. */
  verdicts(): InvariantVerdict[] {
    return this.specs
      .map((spec): InvariantVerdict => {
        const failed = this.violations.some((v) => v.invariantId === spec.id);
        const seen = this.judged.get(spec.id);
        const base = {
          id: spec.id,
          severity: spec.severity,
          description: spec.description,
          observed: seen?.last,
          worst: seen ? { observed: seen.worst, atSimMs: seen.worstAtSimMs } : undefined,
          evaluations: seen?.count ?? 0,
          operator: spec.operator,
          threshold: spec.threshold,
          ...(spec.optional ? { optional: true } : {}),
        };
        if (this.notApplicable.has(spec.id))
          return { ...base, verdict: 'n/a', reason: 'paced-only: judged against wall time, not in turbo' };
        if (!seen)
          return {
            ...base,
            verdict: 'not-evaluated',
            reason: this.excused.has(spec.id)
              ? 'every window overlapped a chaos event or its grace'
              : notEvaluatedReason(spec),
          };
        return { ...base, verdict: failed ? 'fail' : 'pass' };
      })
      .concat(this.chaos?.verdicts() ?? []);
  }

  /** Critical gates failing now: their episode is open at the last evaluation. */
  failingCritical(): string[] {
    return [...this.open.keys()].filter((id) => this.specs.find((s) => s.id === id)?.severity === 'critical');
  }

  /** Episodes not kept (past the per-gate cap), by severity, so counts stay true. */
  droppedEpisodes(): { critical: number; warning: number } {
    const out = { critical: 0, warning: 0 };
    for (const [id, n] of this.dropped) out[this.specs.find((s) => s.id === id)?.severity ?? 'critical'] += n;
    return out;
  }

  private episodesOf(id: string): number {
    let n = 0;
    for (const v of this.violations) if (v.invariantId === id) n++;
    return n;
  }

  hasCriticalViolation(): boolean {
    return this.violations.some((v) => v.severity === 'critical');
  }

  /** Critical gates that were never judged and that the scenario did not mark optional. */
  unjudgedCritical(): string[] {
    const gates = this.specs
      .filter(
        (s) => s.severity === 'critical' && !s.optional && !this.notApplicable.has(s.id) && !this.judged.has(s.id),
      )
      .map((s) => s.id);
    return gates.concat(
      (this.chaos?.recoveries() ?? []).filter((r) => r.verdict === 'not-evaluated').map((r) => r.gate),
    );
  }

  snapshot(): CheckerSnapshot {
    return {
      violations: structuredClone(this.violations),
      open: Object.fromEntries(this.open),
      judged: structuredClone(Object.fromEntries(this.judged)),
      chaos: this.chaos?.snapshot(),
      excused: Object.fromEntries(this.excused),
      dropped: Object.fromEntries(this.dropped),
    };
  }

  restore(s: CheckerSnapshot): void {
    this.violations = structuredClone(s.violations);
    this.open = new Map(Object.entries(s.open));
    this.judged = new Map(Object.entries(structuredClone(s.judged ?? {})));
    this.excused = new Map(Object.entries(s.excused ?? {}));
    this.dropped = new Map(Object.entries(s.dropped ?? {}));
    this.chaos?.restore(s.chaos);
  }
}

function notEvaluatedReason(spec: InvariantSpec): string {
  const over = spec.samples ?? spec.over ?? spec.metric;
  if (spec.statistic === 'trend_per_day')
    return `a trend needs at least ${MIN_TREND_SPAN_MS / 3_600_000} sim hours of ${spec.metric} samples`;
  if (spec.minCount !== undefined) {
    const window = spec.windowMin === undefined ? 'the whole run' : `any ${spec.windowMin}-sim-minute window`;
    return `too few samples: never ${spec.minCount} of ${over} in ${window}`;
  }
  return `no data: ${over} was never recorded`;
}

/** Is `a` further on the failing side than `b`? */
function worse(op: InvariantSpec['operator'], a: number, b: number): boolean {
  if (op === '<' || op === '<=') return a > b;
  if (op === '>' || op === '>=') return a < b;
  return Math.abs(a) > Math.abs(b);
}
