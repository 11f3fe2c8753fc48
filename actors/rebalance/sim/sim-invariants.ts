// The runbook's rollout gates as run gates, one set per stage, each over the runbook's 15-minute
// window with the same minimum sample as the dispatcher's own judgement (rollout-gates.ts), plus
// the city's physics: no bike created or lost.
import type { InvariantCatalogue } from '../../../runtime/actor/pack.js';
import { STAGES, STAGE_THRESHOLDS } from '../rollout/rollout-gates.js';

const WINDOW_MIN = 15;
const MIN_SAMPLES = 20;

function stageGates(): InvariantCatalogue {
  const gates: Record<string, InvariantCatalogue[string]> = {};
  for (const stage of STAGES) {
    const t = STAGE_THRESHOLDS[stage];
    gates[`${stage}_timeout_rate`] = {
      description: `timeout_rate <= ${t.timeout_rate} over every 15 sim minutes (${stage} stage)`,
      metric: 'rebalance.global_timeouts',
      over: 'rebalance.global_runs',
      statistic: 'sum',
      operator: '<=',
      threshold: t.timeout_rate,
      severity: 'critical',
      windowMin: WINDOW_MIN,
      minCount: MIN_SAMPLES,
    };
    gates[`${stage}_fallback_rate`] = {
      description: `fallback_rate <= ${t.fallback_rate} over every 15 sim minutes (${stage} stage)`,
      metric: 'rebalance.global_fallbacks',
      over: 'rebalance.global_runs',
      statistic: 'sum',
      operator: '<=',
      threshold: t.fallback_rate,
      severity: 'critical',
      windowMin: WINDOW_MIN,
      minCount: MIN_SAMPLES,
    };
    gates[`${stage}_objective_delta_ratio`] = {
      description: `objective_delta_ratio >= ${t.objective_delta_ratio} over every 15 sim minutes (${stage} stage): (greedy - global) / greedy`,
      metric: 'rebalance.objective_gain',
      over: 'rebalance.objective_greedy',
      statistic: 'sum',
      operator: '>=',
      threshold: t.objective_delta_ratio,
      severity: 'critical',
      windowMin: WINDOW_MIN,
      minCount: MIN_SAMPLES,
      samples: 'rebalance.global_runs',
    };
  }
  return gates;
}

export const REBALANCE_INVARIANTS: InvariantCatalogue = {
  ...stageGates(),
  bikes_conserved: {
    description: 'every bike is docked, parked in a truck or on its way: none created or lost',
    metric: 'rebalance.bikes_unaccounted',
    statistic: 'value',
    operator: '==',
    threshold: 0,
    severity: 'critical',
  },
  rollback_applied: {
    description: 'the automatic rollback applied the kill switch (a drill expects it)',
    metric: 'rebalance.rollbacks',
    statistic: 'sum',
    operator: '>=',
    threshold: 1,
    severity: 'critical',
    endOfRunOnly: true,
  },
};
