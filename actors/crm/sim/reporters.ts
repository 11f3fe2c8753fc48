// Gauges measured from the simulation's state on every metrics interval: backlog, requests in
// flight, breaker and cooldown, DLQ size, segments expanded (what /api/health and Prometheus show).
import type { PartitionView, Reporter } from '../../../runtime/sdk.js';
import { windowUsed } from './rate-limiter.js';
import type { SimulationState } from './simulation.js';

function fromSimulation(metric: string, measure: (s: SimulationState) => number): Reporter {
  return {
    metric,
    combine: 'sum',
    measure(view: PartitionView) {
      let value = 0;
      view.forEachActor((kind, state) => {
        if (kind === 'simulation') value += measure(state as SimulationState);
      });
      return value;
    },
  };
}

const BREAKER_LEVEL = { closed: 0, half_open: 0.5, open: 1 } as const;

export const CRM_REPORTERS: readonly Reporter[] = [
  fromSimulation('crm.backlog', (s) => s.queue.length + s.inflight.reduce((n, f) => n + f.jobs.length, 0)),
  fromSimulation('crm.in_flight', (s) => s.inflight.length),
  fromSimulation('crm.breaker_state', (s) => BREAKER_LEVEL[s.breaker.status]),
  fromSimulation('crm.dlq_size', (s) => Object.keys(s.dlq).length),
  fromSimulation('crm.keep_share', (s) => s.keep),
  fromSimulation('crm.window_used', (s) => windowUsed(s.limiter, s.lastStepMs)),
  fromSimulation('crm.cooldown_ms', (s) => Math.max(0, s.limiter.cooldownUntilMs - s.lastStepMs)),
];
