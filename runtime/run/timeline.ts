// The scenario timeline as param changes: each event sets `event.<TYPE>` to its parameters when
// it starts and clears it when it ends. Packs read the param; the runtime knows no event types.
import type { Scenario, ScenarioEvent } from '../scenario/scenario-schema.js';
import { eventParamName } from './outside-input.js';

export interface TimelineChange {
  atMs: number;
  name: string;
  /** undefined clears the param. */
  value: unknown;
}

export function buildTimeline(events: readonly ScenarioEvent[], tickMs: number): TimelineChange[] {
  const changes: (TimelineChange & { order: number })[] = [];
  events.forEach((e, i) => {
    const { startMs, endMs } = eventSpan(e, tickMs);
    const name = eventParamName(e.type);
    changes.push({
      atMs: startMs,
      name,
      value: { ...e.parameters, startedAtMs: startMs, endsAtMs: endMs },
      order: events.length + i,
    });
    changes.push({ atMs: endMs, name, value: undefined, order: i });
  });
  // At equal times an event ending comes before one starting, so back-to-back events both apply.
  changes.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
  return changes.map(({ atMs, name, value }) => ({ atMs, name, value }));
}

/** When a scenario event starts and ends, in sim ms on the tick grid. */
export function eventSpan(e: ScenarioEvent, tickMs: number): { startMs: number; endMs: number } {
  return {
    startMs: quantise(e.triggerAt * 60_000, tickMs),
    endMs: quantise((e.triggerAt + e.duration) * 60_000, tickMs),
  };
}

export function quantise(ms: number, tickMs: number): number {
  return Math.ceil(ms / tickMs) * tickMs;
}

/** A load ramp's steps: step k (from 1) sets the policy to base x factor^k at k x everyMin. */
export function rampSteps(
  ramp: NonNullable<Scenario['ramp']>,
  base: number,
  durationMs: number,
  tickMs: number,
): TimelineChange[] {
  const steps: TimelineChange[] = [];
  const everyMs = ramp.everyMin * 60_000;
  for (let k = 1; k * everyMs < durationMs && k <= 1000; k++) {
    steps.push({ atMs: quantise(k * everyMs, tickMs), name: ramp.policy, value: base * ramp.factor ** k });
  }
  return steps;
}
