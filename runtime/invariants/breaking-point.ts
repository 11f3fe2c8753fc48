// Where a load ramp breaks the system: for each step of the ramp, the load it produced (a
// counter's rate per sim second) and whether every critical gate held through it; for each gate,
// the sim time and load at which it first failed. The last step that held is the capacity found.
// Sim time and counters only, so it is part of a run's deterministic outcome.
import type { Scenario } from '../scenario/scenario-schema.js';

export interface RampStep {
  step: number;
  /** The ramped policy's value during the step. */
  value: number;
  fromSimMs: number;
  toSimMs: number;
  loadPerSec: number | null;
  held: boolean;
}

export interface GateBreak {
  gate: string;
  atSimMs: number;
  step: number;
  value: number;
  /** Load over the interval in which the gate failed. */
  loadPerSec: number;
}

export interface BreakingPointReport {
  policy: string;
  loadMetric: string;
  steps: RampStep[];
  firstFailures: GateBreak[];
  /** The last step through which every critical gate held (null: not even the first). */
  lastHeld: RampStep | null;
}

export interface BreakingPointSnapshot {
  steps: RampStep[];
  firstFailures: GateBreak[];
  stepStartLoad: number;
  lastIntervalLoad: number;
  lastIntervalMs: number;
  failedInStep: boolean;
}

export class BreakingPoint {
  private s: BreakingPointSnapshot;

  constructor(
    private readonly ramp: NonNullable<Scenario['ramp']>,
    private readonly base: number,
    private readonly durationMs: number,
  ) {
    this.s = {
      steps: [this.newStep(0, 0)],
      firstFailures: [],
      stepStartLoad: 0,
      lastIntervalLoad: 0,
      lastIntervalMs: 0,
      failedInStep: false,
    };
  }

  /**
   * An interval closed at `simMs`: `load` is the counter's whole-run total, `failing` the critical
   * gates failing now (episodes open or opened at this evaluation).
   */
  interval(simMs: number, load: number, failing: readonly string[]): void {
    const s = this.s;
    const current = s.steps[s.steps.length - 1];
    const intervalS = (simMs - s.lastIntervalMs) / 1000;
    const intervalLoad = intervalS > 0 ? (load - s.lastIntervalLoad) / intervalS : 0;
    s.lastIntervalLoad = load;
    s.lastIntervalMs = simMs;
    for (const gate of failing) {
      if (s.firstFailures.some((f) => f.gate === gate)) continue;
      s.firstFailures.push({
        gate,
        atSimMs: simMs,
        step: current.step,
        value: current.value,
        loadPerSec: intervalLoad,
      });
    }
    if (failing.length > 0) s.failedInStep = true;
    if (simMs >= current.toSimMs) this.closeStep(simMs, load);
  }

  /** The run ended at `simMs`: close the step in progress. */
  finish(simMs: number, load: number): void {
    const current = this.s.steps[this.s.steps.length - 1];
    if (current.loadPerSec === null && simMs > current.fromSimMs) this.closeStep(simMs, load, false);
  }

  report(): BreakingPointReport {
    const steps = this.s.steps.filter((st) => st.loadPerSec !== null);
    const held = steps.filter((st) => st.held);
    const firstBroken = steps.find((st) => !st.held);
    const lastHeld = held.filter((st) => !firstBroken || st.step < firstBroken.step).pop() ?? null;
    return {
      policy: this.ramp.policy,
      loadMetric: this.ramp.loadMetric,
      steps,
      firstFailures: this.s.firstFailures,
      lastHeld,
    };
  }

  snapshot(): BreakingPointSnapshot {
    return structuredClone(this.s);
  }

  restore(s: BreakingPointSnapshot | undefined): void {
    if (s) this.s = structuredClone(s);
  }

  private closeStep(simMs: number, load: number, openNext = true): void {
    const s = this.s;
    const current = s.steps[s.steps.length - 1];
    current.toSimMs = simMs;
    current.loadPerSec = (load - s.stepStartLoad) / Math.max(1, (simMs - current.fromSimMs) / 1000);
    current.held = !s.failedInStep;
    s.stepStartLoad = load;
    s.failedInStep = false;
    if (openNext && simMs < this.durationMs) s.steps.push(this.newStep(current.step + 1, simMs));
  }

  private newStep(step: number, fromSimMs: number): RampStep {
    const everyMs = this.ramp.everyMin * 60_000;
    return {
      step,
      value: this.base * this.ramp.factor ** step,
      fromSimMs,
      toSimMs: Math.min(this.durationMs, (step + 1) * everyMs),
      loadPerSec: null,
      held: true,
    };
  }
}
