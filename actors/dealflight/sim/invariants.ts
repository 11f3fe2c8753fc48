// The runbook's KPIs as gates: each alert trigger over its window is critical, each target over
// the whole run a warning, so a run that drifts from target warns before it pages.
//
// A rate gate judges a window only once it holds enough requests to tell its threshold from the
// model's base rate: at the demo's ~0.45% mistyped commands, 50 requests (the first minutes of a
// run) fail the 95% alert on 3 typos, about one seed in 50; 100 requests need 6 (a third of the
// demo's sim hour, about 1 in 10^5).
import type { InvariantCatalogue } from '../../../runtime/sdk.js';

export const DEALFLIGHT_INVARIANTS: InvariantCatalogue = {
  sim_success_rate: {
    description: 'scenario success rate >= 95% over the last sim hour (the alert trigger)',
    metric: 'dealflight.success',
    over: 'dealflight.requests',
    statistic: 'sum',
    operator: '>=',
    threshold: 0.95,
    severity: 'critical',
    windowMin: 60,
    minCount: 100,
  },
  sim_success_rate_target: {
    description: 'scenario success rate >= 98% over the run (the target)',
    metric: 'dealflight.success',
    over: 'dealflight.requests',
    statistic: 'sum',
    operator: '>=',
    threshold: 0.98,
    severity: 'warning',
    minCount: 100,
  },
  sim_p95_latency: {
    description: 'p95 simulate latency <= 1000 ms over the last 30 sim min (the alert trigger)',
    metric: 'dealflight.latency_ms',
    statistic: 'p95',
    operator: '<=',
    threshold: 1000,
    severity: 'critical',
    windowMin: 30,
    minCount: 20,
  },
  sim_p95_latency_target: {
    description: 'p95 simulate latency <= 800 ms over the run (the target)',
    metric: 'dealflight.latency_ms',
    statistic: 'p95',
    operator: '<=',
    threshold: 800,
    severity: 'warning',
    minCount: 50,
  },
  sim_parity_mismatch: {
    description: 'deterministic parity mismatches == 0',
    metric: 'dealflight.parity_mismatches',
    statistic: 'sum',
    operator: '==',
    threshold: 0,
    severity: 'critical',
  },
  sim_promotion_failure_rate: {
    description: 'promotion failure rate <= 5% over the last sim hour (the alert trigger)',
    metric: 'dealflight.promotions_failed',
    over: 'dealflight.promotions_requested',
    statistic: 'sum',
    operator: '<=',
    threshold: 0.05,
    severity: 'critical',
    windowMin: 60,
    minCount: 20,
  },
  sim_promotion_failure_rate_target: {
    description: 'promotion failure rate <= 2% over the run (the target)',
    metric: 'dealflight.promotions_failed',
    over: 'dealflight.promotions_requested',
    statistic: 'sum',
    operator: '<=',
    threshold: 0.02,
    severity: 'warning',
    minCount: 50,
  },
};
