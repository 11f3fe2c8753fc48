// The runbook's rollout gates as run gates, one set per stage, each over the runbook's 15-minute
// window with the same minimum sample as the dispatcher's own judgement (rollout-gates.ts), plus
// the city's physics: no bike created or lost.
import type { InvariantCatalogue } from '../../../runtime/sdk.js';
import { STAGES, STAGE_THRESHOLDS } from '../domain/rollout/rollout-gates.js';

const WINDOW_MIN = 15;
const MIN_SAMPLES = 20;

/** One of a stage's thresholds as a gate: a ratio of two counters over each window. */
function windowGate(
  description: string,
  metric: string,
  over: string,
  operator: '<=' | '>=',
  threshold: number,
  samples?: string,
): InvariantCatalogue[string] {
  return {
    description,
    metric,
    over,
    statistic: 'sum',
    operator,
    threshold,
    severity: 'critical',
    windowMin: WINDOW_MIN,
    minCount: MIN_SAMPLES,
    ...(samples ? { samples } : {}),
  };
}

function stageGates(): InvariantCatalogue {
  const gates: Record<string, InvariantCatalogue[string]> = {};
  for (const stage of STAGES) {
    const t = STAGE_THRESHOLDS[stage];
    const every = `over every 15 sim minutes (${stage} stage)`;
    gates[`${stage}_timeout_rate`] = windowGate(
      `timeout_rate <= ${t.timeout_rate} ${every}`,
      'rebalance.global_timeouts',
      'rebalance.global_runs',
      '<=',
      t.timeout_rate,
    );
    gates[`${stage}_fallback_rate`] = windowGate(
      `fallback_rate <= ${t.fallback_rate} ${every}`,
      'rebalance.global_fallbacks',
      'rebalance.global_runs',
      '<=',
      t.fallback_rate,
    );
    // A ratio of objective sums: its sample size is the global runs behind them.
    gates[`${stage}_objective_delta_ratio`] = windowGate(
      `objective_delta_ratio >= ${t.objective_delta_ratio} ${every}: (greedy - global) / greedy`,
      'rebalance.objective_gain',
      'rebalance.objective_greedy',
      '>=',
      t.objective_delta_ratio,
      'rebalance.global_runs',
    );
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
