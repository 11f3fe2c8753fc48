// Invariants about the runtime itself, available to every pack's scenarios by id. Both describe
// the host (wall-clock drift, memory), so they are judged only where they mean something.
import type { InvariantCatalogue } from '../actor/pack.js';

export const RUNTIME_INVARIANTS: InvariantCatalogue = {
  orchestrator_tick_drift: {
    description: 'tick drift < 100 ms per real second (paced runs; n/a in turbo)',
    metric: 'runtime.drift_ms_per_s',
    statistic: 'p99',
    operator: '<',
    threshold: 100,
    severity: 'critical',
    windowMin: 5,
    minCount: 10,
  },
  memory_usage: {
    description: 'resident memory < 80% of what the process may use',
    metric: 'runtime.memory_pct',
    statistic: 'value',
    operator: '<',
    threshold: 80,
    severity: 'critical',
  },
};
