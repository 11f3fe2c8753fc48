// Runbook 003's SLOs as gates: processing latency p95 under 2 s, validation errors under 1%.
import type { InvariantCatalogue } from '../../../runtime/sdk.js';

export const EXEC_INVARIANTS: InvariantCatalogue = {
  exec_latency_p95: {
    description: 'processing latency p95 < 2 s (intent to reconcile, sim time) over the last 10 sim minutes',
    metric: 'exec.simulation_ms',
    statistic: 'p95',
    operator: '<',
    threshold: 2000,
    severity: 'critical',
    windowMin: 10,
    minCount: 50,
  },
  exec_validation_error_rate: {
    description: 'validation errors < 1% of intents over the run (the SLO under normal conditions)',
    metric: 'exec.intents_invalid',
    over: 'exec.intents_valid',
    statistic: 'sum',
    operator: '<',
    threshold: 0.01,
    severity: 'critical',
    // Judged once 5,000 valid intents are in (about 21 sim minutes of the backtest): at its 0.5%
    // invalid, 100 intents broke the 1% SLO on a single bad one (14 of seeds 1-50); at 5,000 it
    // takes 50, five standard deviations out.
    minCount: 5_000,
  },
};
