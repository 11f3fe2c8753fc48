// How a chaos scenario is judged. Storms are declared (scenario events, live events): a gate over a
// sliding window is excused while its window overlaps an event or the grace after it (the storm is
// the point, not a failure), and each event gets a recovery gate: the time from its end until
// every listed gate holds again, judged only on samples taken after the end, must stay within a
// limit. Gates without a window (integrity counts, memory) are judged throughout. Sim time only.
import type { InvariantSpec, Scenario } from '../scenario/scenario-schema.js';
import type { InvariantVerdict, Violation } from './invariant-checker.js';

export interface ChaosEvent {
  type: string;
  startMs: number;
  endMs: number;
}

interface RecoveryState extends ChaosEvent {
  recoveredAtMs?: number;
  failed?: boolean;
}

export interface ChaosSnapshot {
  events: RecoveryState[];
}

/** Recovery of one event, for the summary and the dashboard. */
export interface Recovery {
  gate: string;
  event: string;
  fromSimMs: number;
  toSimMs: number;
  recoveredAtSimMs: number | null;
  timeToRecoverMin: number | null;
  withinMin: number;
  verdict: 'pass' | 'fail' | 'not-evaluated';
}

/** Observe a gate over the last `windowMs`, needing `minCount` samples; undefined when not judgeable. */
export type WindowObserver = (spec: InvariantSpec, windowMs: number, minCount: number) => number | undefined;

export class ChaosJudgement {
  private events: RecoveryState[] = [];
  private readonly graceMs: number;

  constructor(
    private readonly config: NonNullable<Scenario['chaos']>,
    private readonly specs: readonly InvariantSpec[],
    private readonly holds: (spec: InvariantSpec, observed: number) => boolean,
  ) {
    this.graceMs = config.graceMin * 60_000;
  }

  /** The longest window a recovery looks back over (the metric book must keep that much). */
  static lookbackMs(chaos: Scenario['chaos']): number {
    return chaos?.recovery ? chaos.recovery.withinMin * 60_000 : 0;
  }

  add(event: ChaosEvent): void {
    this.events.push({ ...event });
  }

  /** Is a gate over `windowMs` ending at `simMs` inside a storm or its grace? */
  excused(spec: InvariantSpec, simMs: number): boolean {
    if (spec.windowMin === undefined) return false;
    const windowMs = spec.windowMin * 60_000;
    return this.events.some((e) => simMs > e.startMs && simMs - windowMs < e.endMs + this.graceMs);
  }

  /** Judge recovery of every ended event at `simMs`; returns the recovery violations opened now. */
  evaluate(simMs: number, observe: WindowObserver): Violation[] {
    const recovery = this.config.recovery;
    if (!recovery) return [];
    const opened: Violation[] = [];
    for (const e of this.events) {
      if (e.recoveredAtMs !== undefined || e.failed || simMs <= e.endMs) continue;
      const sinceEnd = simMs - e.endMs;
      const back = recovery.gates.every((id) => {
        const spec = this.specs.find((s) => s.id === id)!;
        const observed = observe(spec, sinceEnd, recovery.minCount);
        return observed !== undefined && this.holds(spec, observed);
      });
      if (back && sinceEnd <= recovery.withinMin * 60_000) {
        e.recoveredAtMs = simMs;
        continue;
      }
      if (sinceEnd > recovery.withinMin * 60_000) {
        e.failed = true;
        opened.push({
          invariantId: gateId(e),
          severity: 'critical',
          metric: `recovery(${recovery.gates.join(', ')})`,
          statistic: 'minutes',
          operator: '<=',
          threshold: recovery.withinMin,
          observed: sinceEnd / 60_000,
          fromSimMs: e.endMs,
          toSimMs: simMs,
        });
      }
    }
    return opened;
  }

  recoveries(): Recovery[] {
    const recovery = this.config.recovery;
    if (!recovery) return [];
    return this.events.map((e) => ({
      gate: gateId(e),
      event: e.type,
      fromSimMs: e.startMs,
      toSimMs: e.endMs,
      recoveredAtSimMs: e.recoveredAtMs ?? null,
      timeToRecoverMin: e.recoveredAtMs === undefined ? null : (e.recoveredAtMs - e.endMs) / 60_000,
      withinMin: recovery.withinMin,
      verdict: e.recoveredAtMs !== undefined ? 'pass' : e.failed ? 'fail' : 'not-evaluated',
    }));
  }

  /** One critical gate per event, beside the scenario's own in every verdict list. */
  verdicts(): InvariantVerdict[] {
    const recovery = this.config.recovery;
    if (!recovery) return [];
    return this.recoveries().map((r) => ({
      id: r.gate,
      severity: 'critical',
      description: `${r.event} (sim ${clock(r.fromSimMs)}–${clock(r.toSimMs)}): ${recovery.gates.join(' and ')} hold again within ${recovery.withinMin} sim min of its end`,
      verdict: r.verdict,
      observed: r.timeToRecoverMin ?? undefined,
      worst: undefined,
      evaluations: r.verdict === 'not-evaluated' ? 0 : 1,
      operator: '<=',
      threshold: recovery.withinMin,
      ...(r.verdict === 'not-evaluated'
        ? { reason: `not yet recovered when the run ended, before the ${recovery.withinMin} sim min limit` }
        : {}),
    }));
  }

  snapshot(): ChaosSnapshot {
    return { events: structuredClone(this.events) };
  }

  restore(s: ChaosSnapshot | undefined): void {
    if (s) this.events = structuredClone(s.events);
  }
}

function gateId(e: ChaosEvent): string {
  return `recovery:${e.type}@${clock(e.startMs)}`;
}

function clock(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`;
}
