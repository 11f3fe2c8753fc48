// Invariants about the runtime itself, available to every pack's scenarios by id. All describe
// the host (wall-clock drift, memory), so they are judged only where they mean something.
import type { InvariantCatalogue } from '../packs/pack-model.js';

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
  memory_growth: {
    description:
      'resident memory grows < 64 MB per sim day (least-squares trend over the whole run): a leak, long before the machine runs out',
    metric: 'runtime.rss_mb',
    statistic: 'trend_per_day',
    operator: '<',
    threshold: 64,
    severity: 'critical',
    endOfRunOnly: true,
  },
};
